#!/usr/bin/env bash
# Builds backstop-bench and runs its JMH benchmarks, each engine benchmark beside its plain-loop
# baseline in the same run, then writes the JSON result and a Markdown table of the ratios.
# Usage: scripts/bench.sh [JMH options...]
#   e.g. scripts/bench.sh -f 1 -wi 2 -i 3 -w 1s -r 1s -p n=10000 TickBench
# With no options: every benchmark at n = 10,000 and 100,000 with short settings (a few minutes);
# options replace those settings (JMH's own defaults take far longer).
# BENCH_HEAP sets the forked JVMs' heap (default 2g); BENCH_OUT the output folder.
# The test run (./mvnw verify) never runs these; see docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-home.sh
backstop_select_jdk
heap="${BENCH_HEAP:-2g}"
out="${BENCH_OUT:-backstop-bench/target/bench}"
./mvnw -B -q -pl backstop-bench -am package -DskipTests
mkdir -p "$out"
if [ "$#" -eq 0 ]; then
  set -- -f 1 -wi 2 -i 3 -w 1s -r 1s
fi
"$JAVA_HOME/bin/java" -jar backstop-bench/target/benchmarks.jar \
  -jvmArgs "-Xms$heap -Xmx$heap" -rf json -rff "$out/results.json" "$@" | tee "$out/jmh.txt"
"$JAVA_HOME/bin/java" -cp backstop-bench/target/benchmarks.jar dev.backstop.bench.Report \
  "$out/results.json" "$out/results.md"
