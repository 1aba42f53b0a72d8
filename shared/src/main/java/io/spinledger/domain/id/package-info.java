/**
 * The industry's identifiers, validated and normalised: {@link io.spinledger.domain.id.Isrc} (recordings),
 * {@link io.spinledger.domain.id.Iswc} (works) and {@link io.spinledger.domain.id.Ipi} (interested parties), with their
 * check digits where they have one.
 */
package io.spinledger.domain.id;
