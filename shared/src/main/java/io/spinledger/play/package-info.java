/**
 * Plays: detections of one station and track merged into airings ({@link io.spinledger.play.PlayAssembler},
 * pure) and stored with their lifecycle OPEN -> CLOSED -> POSTED ({@link io.spinledger.play.PlayStore},
 * a {@link io.spinledger.ports.TableStore}).
 */
package io.spinledger.play;
