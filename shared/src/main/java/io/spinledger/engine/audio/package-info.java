/**
 * Audio in and out: {@link io.spinledger.engine.audio.FfmpegDecoder} is the one FFmpeg decoder (bytes, files and
 * live streams to mono float PCM, block by block); {@link io.spinledger.engine.audio.AudioDecoder} uses it to turn
 * any FFmpeg-readable file into mono float {@link io.spinledger.engine.audio.Pcm}; {@link io.spinledger.engine.audio.Wav}
 * writes and reads the 16-bit mono WAV used for stored chunks; {@link io.spinledger.engine.audio.Loudness} is the
 * one RMS and silence definition.
 */
package io.spinledger.engine.audio;
