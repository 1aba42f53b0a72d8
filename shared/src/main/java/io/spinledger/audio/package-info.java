/**
 * Audio in and out: {@link io.spinledger.audio.AudioDecoder} turns any FFmpeg-readable file into
 * mono float {@link io.spinledger.audio.Pcm}; {@link io.spinledger.audio.Wav} writes and reads
 * the 16-bit mono WAV used for stored chunks.
 */
package io.spinledger.audio;
