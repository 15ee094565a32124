#!/usr/bin/env bash
# ShapeProof benchmark (issue 6, bench/README.md): builds the bench module, checks that the generated model, the
# hand-written ND4J network, DL4J and PyTorch give the same outputs on the same weights, times them side by side
# with the same thread count, measures peak RSS on the dilated stack, and prints one table.
#
#   bench/run.sh                      # OMP_NUM_THREADS=1, both ND4J builds, all four cases
#   THREADS="1 2" bench/run.sh        # also 2 threads (about twice as long)
#
# Settings (environment variables):
#   THREADS       thread counts to run, each for ND4J (OMP_NUM_THREADS) and torch (set_num_threads)  [1]
#   CLASSIFIERS   nd4j-native classifiers: linux-x86_64 (the plain build, -Pplain), linux-x86_64-onednn (the default)
#                 [linux-x86_64 linux-x86_64-onednn]
#   CASES         [mnist_b1 mnist_b64 dilated_b8 context_b8]
#   JMH_OPTS      [-f 1 -wi 3 -w 1s -i 5 -r 1s]  (SampleTime mode: the table shows JMH's p0.50)
#   TORCH_OPTS    [--warmup 3 --measure 5]       (seconds; at least 3 warm-up and 10 timed runs)
#   RSS_FORWARDS  forwards per peak-RSS process; 0 skips RSS  [20]
#   RSS_CLASSIFIERS  builds to measure peak RSS on  [the first of CLASSIFIERS; both measured the same]
#   SKIP_BUILD=1  reuse the last build;  MVN_ARGS  extra Maven arguments (e.g. -o)
#   PYTHON        [/usr/bin/python3] with torch 1.13 and numpy (Debian's python3-torch)
# Results: bench/target/results/<time>/ (JMH JSON, torch JSONL, RSS JSONL, logs, table.md).
# Never runs `mvn install`: the bench module is built in the reactor (-Pbench) and run from its class path.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
THREADS=${THREADS:-1}
CLASSIFIERS=${CLASSIFIERS:-linux-x86_64 linux-x86_64-onednn}
CASES=${CASES:-mnist_b1 mnist_b64 dilated_b8 context_b8}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 3 -w 1s -i 5 -r 1s}
TORCH_OPTS=${TORCH_OPTS:---warmup 3 --measure 5}
RSS_FORWARDS=${RSS_FORWARDS:-20}
RSS_CLASSIFIERS=${RSS_CLASSIFIERS:-${CLASSIFIERS%% *}}
PYTHON=${PYTHON:-/usr/bin/python3}
DATA=$BENCH/target/bench-data
OUT=$BENCH/target/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
start=$(date +%s)

log() { echo "[bench $(( $(date +%s) - start ))s] $*" >&2; }
load() { echo "$(date +%T) $1 $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"; }

maven_args() { # the Maven arguments selecting a classifier: the project's default is the oneDNN build
  case $1 in
    linux-x86_64) echo "-Pplain" ;;
    linux-x86_64-onednn) echo "" ;;
    *) echo "-Dnd4j.classifier=$1" ;;
  esac
}

classpath() { echo "$BENCH/target/classes:$(cat "$BENCH/target/classpath-$1.txt")"; }

# --- build: the reactor with the bench module, once per classifier (each writes target/classpath-<classifier>.txt)
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  for cl in $CLASSIFIERS; do
    log "build ($cl)"
    # maven.test.skip: the benchmark needs no test classes (and must not fail on someone's half-written test)
    (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -Pbench $(maven_args "$cl") -Dmaven.test.skip=true package) \
      > "$OUT/build-$cl.log" 2>&1 || { cat "$OUT/build-$cl.log"; exit 1; }
  done
fi

{
  echo "host: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "torch: $($PYTHON -c 'import torch; print(torch.__version__)')"
  echo "jmh: $JMH_OPTS; torch: $TORCH_OPTS; rss forwards: $RSS_FORWARDS"
} > "$OUT/env.txt"

java_run() { # classifier, main class or jmh, args...
  local cl=$1; shift
  java -Dbench.data="$DATA" -Dbench.classifier="$cl" -cp "$(classpath "$cl")" "$@"
}

for t in $THREADS; do
  export OMP_NUM_THREADS=$t
  # --- data (written once, by the first build's generated model) and the equality check on every build
  for cl in $CLASSIFIERS; do
    log "check outputs ($cl, $t thread(s))"
    java_run "$cl" dev.shapeproof.bench.Prepare "$DATA" $CASES | tee -a "$OUT/check.txt" >&2
  done
  for c in $CASES; do
    $PYTHON "$BENCH/py/bench_torch.py" --data "$DATA" --case "$c" --threads "$t" --warmup 0 --measure 0 \
      > /dev/null || { echo "torch output check failed for $c" >&2; exit 1; }
  done

  # --- timing, interleaved per case: Java on each build, then PyTorch, then the next case
  for c in $CASES; do
    for cl in $CLASSIFIERS; do
      log "jmh $c ($cl, $t thread(s))"
      load "jmh-$c-$cl-t$t-start"
      # shellcheck disable=SC2086
      java_run "$cl" org.openjdk.jmh.Main ForwardBench -p benchCase="$c" -p impl=shapeproof,nd4j,dl4j $JMH_OPTS \
        -jvmArgsAppend "-Dbench.data=$DATA -Dbench.classifier=$cl" -foe true \
        -rf json -rff "$OUT/jmh-t$t-$cl-$c.json" > "$OUT/jmh-t$t-$cl-$c.log" 2>&1 \
        || { tail -40 "$OUT/jmh-t$t-$cl-$c.log"; exit 1; }
      load "jmh-$c-$cl-t$t-end"
    done
    log "torch $c ($t thread(s))"
    load "torch-$c-t$t-start"
    # shellcheck disable=SC2086
    $PYTHON "$BENCH/py/bench_torch.py" --data "$DATA" --case "$c" --threads "$t" $TORCH_OPTS \
      --out "$OUT/torch.jsonl" > /dev/null
    load "torch-$c-t$t-end"
  done

  # --- peak RSS of the dilated stack: each implementation alone in its own process (PeakRss): after 1 forward, after
  # 20 whose results are released, after 20 more whose results are dropped (left to the GC, so the peak grows).
  if [[ $RSS_FORWARDS -gt 0 && " $CASES " == *" dilated_b8 "* ]]; then
    for cl in $RSS_CLASSIFIERS; do
      for impl in shapeproof nd4j dl4j; do
        log "rss dilated_b8 $impl ($cl, $t thread(s))"
        java_run "$cl" dev.shapeproof.bench.PeakRss dilated_b8 "$impl" "$RSS_FORWARDS" >> "$OUT/rss.jsonl"
      done
    done
    log "rss dilated_b8 torch ($t thread(s))"
    $PYTHON "$BENCH/py/bench_torch.py" --data "$DATA" --case dilated_b8 --threads "$t" --rss "$RSS_FORWARDS" \
      --out "$OUT/rss.jsonl" > /dev/null
  fi
done

log "done in $(( $(date +%s) - start )) s; results in $OUT"
$PYTHON "$BENCH/py/report.py" "$OUT" | tee "$OUT/table.md"
