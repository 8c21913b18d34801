#!/usr/bin/env bash
# Raises the open-file limit (10,000 streams are 10,000 sockets per side) and runs the harness.
set -euo pipefail
cd "$(dirname "$0")"
ulimit -n 65535 2>/dev/null || ulimit -n "$(ulimit -Hn)"
exec node --import tsx src/main.ts "$@"
