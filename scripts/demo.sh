#!/usr/bin/env bash
# Sets up the toolchain, then publishes the example's kos images to a local registry with pulumi up.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
bash "$root/scripts/setup.sh"
cd "$root"
node dist/cli/demo.js
