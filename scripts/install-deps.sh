#!/usr/bin/env bash
# Installs the Debian packages SpinLedger's demo and tests use: icecast2 (the demo/test station),
# ffmpeg (feeds the station), wesnoth-1.16-music (real reference recordings), espeak-ng (speech),
# sox (measuring), awscli (infra tests run the localstack/init scripts against the embedded emulators).
# Safe to run again: only missing packages are installed.
set -euo pipefail
pkgs=(icecast2 ffmpeg wesnoth-1.16-music espeak-ng sox awscli)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all present (${pkgs[*]})"
  exit 0
fi
echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "install-deps: need root to install: ${missing[*]} (run: apt-get install ${missing[*]})" >&2; exit 1; fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
