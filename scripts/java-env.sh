#!/usr/bin/env bash
# Sourced by the scripts: picks a JDK of version 21 or later when the default one is older
# (the build machines have a JDK 17 default and a newer JDK under /usr/lib/jvm).
java_major() { "$1" -version 2>&1 | sed -n 's/.* version "\([0-9]*\).*/\1/p' | head -1; }
current="${JAVA_HOME:+$JAVA_HOME/bin/java}"
[ -n "$current" ] || current="$(command -v java || true)"
if [ -z "$current" ] || [ "$(java_major "$current")" -lt 21 ] 2>/dev/null; then
  for jdk in /usr/lib/jvm/*; do
    if [ -x "$jdk/bin/javac" ] && [ "$(java_major "$jdk/bin/java")" -ge 21 ] 2>/dev/null; then
      export JAVA_HOME="$jdk"; break
    fi
  done
fi
if [ -n "${JAVA_HOME:-}" ]; then export PATH="$JAVA_HOME/bin:$PATH"; fi
v="$(java_major "$(command -v java)")"
if [ -z "$v" ] || [ "$v" -lt 21 ]; then
  echo "SpinLedger needs JDK 21 or later; found ${v:-none}. Install one (e.g. Temurin 21+) and set JAVA_HOME." >&2
  exit 1
fi
export DDB_LOCAL_TELEMETRY=0
