#!/usr/bin/env bash
# Installs the offline checkers (ajv + ajv-draft-04 + yaml-cfn, @cdktf/hcl2json; pinned by package-lock.json)
# when missing or stale, then runs check.mjs with the given arguments. Needs Node 18+ and npm.
#   infra/check/run.sh --sam infra/sam/template.yaml --tf infra/terraform [--schema ../shared/schemas/sam.schema.json]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -f "$here/node_modules/.package-lock.json" ] || [ "$here/package-lock.json" -nt "$here/node_modules/.package-lock.json" ]; then
  echo "infra/check: npm ci" >&2
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >&2)
fi
exec node "$here/check.mjs" "$@"
