/**
 * The ports between SpinLedger's stages and the outside: {@link io.spinledger.ports.TableStore} (tables with
 * conditions, transactions and paging), object storage, queues and the clock. Stage and engine code sees only
 * these; the AWS adapters and the in-memory ones implement them.
 */
package io.spinledger.ports;
