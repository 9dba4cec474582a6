#!/usr/bin/env bash
# The load suite of issue 9 in one command: builds the benchmarks jar, runs the baselines, the
# gateway and the scenarios, and rewrites the load-suite section of docs/performance.md.
#   benchmarks/run.sh              full suite (about 6 minutes on 2 cores)
#   benchmarks/run.sh --quick      smoke run of the harness (about 1 minute; figures meaningless)
#   benchmarks/run.sh --no-build   skip the Maven build
# Pinning: this JVM (load generator) runs on CPU 0 with the registers' JVM; the system under test
# runs on the last CPU (taskset). -Dnopin=true in JAVA_OPTS turns pinning off.
set -euo pipefail
cd "$(dirname "$0")/.."
build=1
args=()
for a in "$@"; do
  case "$a" in
    --no-build) build=0 ;;
    *) args+=("$a") ;;
  esac
done
if [[ $build == 1 ]]; then
  mvn -q -B -ntp -pl benchmarks -am package -DskipTests
fi
pin=()
if command -v taskset >/dev/null && [[ $(nproc --all) -ge 2 ]] && [[ "${JAVA_OPTS:-}" != *nopin=true* ]]; then
  pin=(taskset -c 0)
fi
exec "${pin[@]}" java -Xmx1g ${JAVA_OPTS:-} -cp benchmarks/target/benchmarks.jar uk.wycps.benchmarks.BenchMain \
  suite --doc docs/performance.md "${args[@]}"
