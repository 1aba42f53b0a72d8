/**
 * The plays stage (function playAssembly). Entry point: {@link io.spinledger.stage.plays.PlayAssemblyStage}, a
 * PRO-mapped detection in, recorded and its play re-derived. Detections of one station and track are merged into
 * airings ({@link io.spinledger.stage.plays.PlayAssembler}, pure) and stored with their lifecycle OPEN -> CLOSED ->
 * POSTED ({@link io.spinledger.stage.plays.PlayStore}, a {@link io.spinledger.ports.TableStore});
 * {@link io.spinledger.stage.plays.PlayEvidenceView} is the read model of the chain behind a play's money.
 */
package io.spinledger.stage.plays;
