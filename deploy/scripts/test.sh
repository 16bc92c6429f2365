#!/usr/bin/env bash
# `npm test`: installs what is missing, then runs unit, integration (real etcd) and end-to-end (real
# Docker Engine) tests. The harness starts and stops etcd/dockerd itself, on free loopback ports.
source "$(dirname "$0")/lib.sh"
ensure_packages
ensure_node_modules
cd "$ROOT"
export KITE_LOG_LEVEL="${KITE_LOG_LEVEL:-silent}"
log "type-checking"
npx tsc --noEmit -p tsconfig.json
# The programs the tests start (controller, agent, CLI) run from this fresh build, as users run them.
log "building"
npm run build --silent
export KITE_RUN_DIST=1
npx mocha --import=tsx --timeout 180000 --exit \
  'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts' 'test/e2e/**/*.test.ts' 'test/multihost/**/*.test.ts' "$@"
