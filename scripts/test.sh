#!/usr/bin/env bash
# Every test of the project, by itself: installs (Debian packages) and starts what the tests
# need, runs Maven, stops what it started. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/test-services.sh
ensure_packages
start_postgres
trap stop_postgres EXIT
export SE_OFFLINE=true
mvn -B -ntp verify "$@"
