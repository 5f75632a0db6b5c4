#!/usr/bin/env bash
# Integration suite: bring the docker-in-docker testbed up, run `bun test integration`, always tear it down.
# Exit code = the tests' exit code. KEEP_TESTBED=1 leaves the testbed running afterwards (for debugging).
set -uo pipefail
cd "$(dirname "$0")/.."
BUN=node_modules/.bin/bun
started=$(date +%s)

teardown() {
  if [ "${KEEP_TESTBED:-}" != 1 ]; then $BUN integration/testbed/cli.ts down || true; fi
}
trap teardown EXIT

$BUN integration/testbed/cli.ts up || { echo "integration: testbed failed to come up" >&2; exit 1; }
$BUN test --timeout 300000 ./integration
code=$?
echo "integration: finished in $(( $(date +%s) - started ))s (exit $code)"
exit $code
