#!/usr/bin/env bash
# The main job, until the web app exists: build, then probe the spiral demo with the CLI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh > /dev/null
echo "$ build/bin/sparsity-probe demo spiral"
build/bin/sparsity-probe demo spiral
