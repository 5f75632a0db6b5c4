#!/usr/bin/env bash
# The README's test command (`npm test`): installs what it needs, then runs unit/component tests and the
# docker-in-docker integration suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-deps.sh
BUN=node_modules/.bin/bun

echo "== unit and component tests"
$BUN test --timeout 60000 ./test

echo "== proxy tests again with the opt-in fast path (KAMAL_PROXY_FAST_PATH=true)"
KAMAL_PROXY_FAST_PATH=true $BUN test --timeout 60000 ./test/proxy

if [ -f integration/run.sh ] && [ "${KAMAL_SKIP_INTEGRATION:-}" != 1 ]; then
  echo "== integration tests (docker-in-docker testbed)"
  bash integration/run.sh
fi
