#!/usr/bin/env bash
# Runs the benchmarks (not part of the test suite). Usage: bench/run.sh [decision|governed|all] [args...]
# Figures and method: docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -ntp -pl bench -am package -DskipTests
cp="bench/target/classes:bench/target/lib/*"
what=${1:-all}; shift || true
case "$what" in
  decision) java -cp "$cp" org.openjdk.jmh.Main DecisionBench "$@" ;;
  governed) java -Xmx2g -cp "$cp" dev.cloned.bench.GovernedCallsBench "$@" ;;
  all) java -cp "$cp" org.openjdk.jmh.Main DecisionBench; java -Xmx2g -cp "$cp" dev.cloned.bench.GovernedCallsBench ;;
  *) java -cp "$cp" org.openjdk.jmh.Main "$what" "$@" ;;
esac
