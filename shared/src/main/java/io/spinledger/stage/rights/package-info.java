/**
 * The rights stage (function proMapping). Entry point: {@link io.spinledger.stage.rights.RightsStage}, an enriched
 * detection in, with its society shares on to the mapped-detections queue. The
 * {@link io.spinledger.stage.rights.SocietyRegistry} of performing-rights societies with CISAC codes and per-country
 * defaults, the {@link io.spinledger.stage.rights.ProMapper} that turns a recording's declared writers (else its
 * MusicBrainz work, else its ISRC's country) into society shares with basis and confidence, and the
 * {@link io.spinledger.stage.rights.ReciprocalAgreements} that decide which society collects a share locally and what
 * administration fee it keeps. IPI name numbers are in {@code io.spinledger.domain.id}.
 */
package io.spinledger.stage.rights;
