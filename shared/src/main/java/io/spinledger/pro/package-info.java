/**
 * Performing-rights organisations: the {@link io.spinledger.pro.SocietyRegistry} of societies with CISAC codes and
 * per-country defaults, {@link io.spinledger.pro.Ipi} name numbers with their check digits, the
 * {@link io.spinledger.pro.ProMapper} that turns a recording's declared writers (else its MusicBrainz work, else its
 * ISRC's country) into society shares with basis and confidence, and the
 * {@link io.spinledger.pro.ReciprocalAgreements} that decide which society collects a share locally and what
 * administration fee it keeps.
 */
package io.spinledger.pro;
