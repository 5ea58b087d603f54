#!/usr/bin/env bash
# Sets up the toolchain, then runs the tests with Node's test runner: `unit` for unit tests only,
# or no argument for unit and end-to-end tests.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$root/scripts/setup.sh"
cd "$root"
case "${1:-all}" in
  unit) pattern='dist/test/unit/**/*.test.js' ;;
  e2e) pattern='dist/test/e2e/**/*.test.js' ;;
  all) pattern='dist/test/**/*.test.js' ;;
  *) echo "usage: scripts/test.sh [unit|e2e|all]" >&2; exit 2 ;;
esac
node --test --test-concurrency=1 "$pattern"
