/**
 * Performing-rights organisations: the {@link io.spinledger.pro.SocietyRegistry} of societies with CISAC codes and
 * per-country defaults, and the {@link io.spinledger.pro.ProMapper} that turns a recording's writers (or, failing
 * them, its ISRC's country) into society shares.
 */
package io.spinledger.pro;
