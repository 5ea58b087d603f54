#!/usr/bin/env bash
# Sets up the toolchain, then runs the benchmarks in bench/ (ratios measured side by side).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$root/scripts/setup.sh"
cd "$root"
node dist/bench/previewVsKo.js
