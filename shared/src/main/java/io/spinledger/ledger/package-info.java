/**
 * The append-only double-entry {@link io.spinledger.ledger.Ledger}: balanced transactions posted atomically and at
 * most once per idempotency key, with per-account entries, running balances, a per-play index and an audit record
 * of every change; reversals, {@link io.spinledger.ledger.Disputes} (held accounts) and
 * {@link io.spinledger.ledger.Statements} derived from postings. All amounts in minor currency units.
 */
package io.spinledger.ledger;
