/**
 * The append-only double-entry {@link io.spinledger.ledger.Ledger}: balanced transactions posted atomically and at
 * most once per idempotency key, per-account entries and running balances, all in minor currency units.
 */
package io.spinledger.ledger;
