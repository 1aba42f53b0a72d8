/**
 * The pipeline's stages, one package per stage and one entry point per stage class: capture (scheduling and
 * chunk ingest), match, fallback, enrich, rights (PRO mapping), plays (assembly and the evidence read model) and
 * posting. Each deployed function decodes its event, calls one stage and lets the stage emit to the next queue
 * through {@link io.spinledger.ports.MessagePublisher}. Stage code uses no Spring, AWS SDK or Lambda event
 * types: it sees storage through the shared services and lookups it is given.
 */
package io.spinledger.stage;
