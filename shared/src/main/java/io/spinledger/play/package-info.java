/**
 * Plays: detections of one station and track merged into airings ({@link io.spinledger.play.PlayAssembler},
 * pure) and stored with their lifecycle OPEN -> CLOSED -> POSTED ({@link io.spinledger.play.PlayStore},
 * DynamoDB).
 */
package io.spinledger.play;
