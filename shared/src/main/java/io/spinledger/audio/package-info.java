/**
 * Audio in and out: {@link io.spinledger.audio.FfmpegDecoder} is the one FFmpeg decoder (bytes, files and
 * live streams to mono float PCM, block by block); {@link io.spinledger.audio.AudioDecoder} uses it to turn
 * any FFmpeg-readable file into mono float {@link io.spinledger.audio.Pcm}; {@link io.spinledger.audio.Wav}
 * writes and reads the 16-bit mono WAV used for stored chunks; {@link io.spinledger.audio.Loudness} is the
 * one RMS and silence definition.
 */
package io.spinledger.audio;
