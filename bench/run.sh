#!/usr/bin/env bash
# ShapeProof benchmark (bench/README.md): builds the bench module, checks that every implementation gives the same
# outputs on the same weights, times the generated models against PyTorch 1.13 (and, on issue 6's four cases, against
# hand-written ND4J and DL4J) interleaved, in repeated rounds, at each thread count, measures peak RSS, and prints one
# table.
#
#   bench/run.sh                      # the whole table: every case, 1 and 2 threads, 3 rounds (about 1 hour)
#   CASES="aspp_b1 dilated_b8" ROUNDS=1 THREADS=1 bench/run.sh
#
# Settings (environment variables):
#   THREADS       thread counts, each for ND4J/oneDNN (OMP_NUM_THREADS) and torch (set_num_threads)  [1 2]
#   CLASSIFIERS   nd4j-native classifiers: linux-x86_64-onednn (the default build), linux-x86_64 (-Pplain)
#                 [linux-x86_64-onednn linux-x86_64]; the plain build runs PLAIN_CASES only
#   CASES         [all: mnist_b1 mnist_b64 dilated_b8 context_b8 aspp_b1 aspp_b8 dilgelu_b8 mnistseq_b1 smallresnet_b8
#                  resnet18_b1 resnet18_b8 resnet50_b1 mobilenetv2_b1 mobilenetv2_b8 deeplab_b1]
#   PLAIN_CASES   [mnist_b1 mnist_b64 dilated_b8 context_b8]
#   ROUNDS        repetitions of the whole timing loop; the table shows the median of the rounds' medians  [3]
#   BASELINE_ROUNDS  rounds that also time hand-written ND4J and DL4J (issue 6's cases)  [1]
#   BEFORE        1: also time ShapeProof with -Dshapeproof.dnnl=never (the runtime without the direct oneDNN path) [1]
#   MAX_LOAD      wait before each timed process until the 1-minute load average is below this  [1.2]
#   LOAD_WAIT     give up waiting after this many seconds (the load is logged either way)  [600]
#   JMH_OPTS      [-f 1 -wi 2 -w 1s -i 3 -r 1s]  (SampleTime mode: JMH's p0.50 per round)
#   TORCH_OPTS    [--warmup 2 --measure 3]       (seconds; at least 3 warm-up and 10 timed runs)
#   RSS_FORWARDS  forwards per peak-RSS process; 0 skips RSS  [20]    RSS_THREADS [1]
#   SKIP_BUILD=1  reuse the last build;  MVN_ARGS  extra Maven arguments (e.g. -o)
#   PYTHON        [/usr/bin/python3] with torch 1.13, torchvision 0.14 and numpy (Debian's python3-torch*)
# PyTorch runs twice per case and round: at its best (glibc's MALLOC_MMAP_THRESHOLD_/MALLOC_TRIM_THRESHOLD_ raised,
# so its compute alone) and as a default process. Results: bench/target/results/<time>/ (JMH JSON, torch JSONL, RSS
# JSONL, load.txt, logs, table.md). Never runs `mvn install`: the bench module is built in the reactor (-Pbench).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
ALL_CASES="mnist_b1 mnist_b64 dilated_b8 context_b8 aspp_b1 aspp_b8 dilgelu_b8 mnistseq_b1 smallresnet_b8 resnet18_b1 resnet18_b8 resnet50_b1 mobilenetv2_b1 mobilenetv2_b8 deeplab_b1"
THREADS=${THREADS:-1 2}
CLASSIFIERS=${CLASSIFIERS:-linux-x86_64-onednn linux-x86_64}
CASES=${CASES:-$ALL_CASES}
PLAIN_CASES=${PLAIN_CASES:-mnist_b1 mnist_b64 dilated_b8 context_b8}
ROUNDS=${ROUNDS:-3}
BASELINE_ROUNDS=${BASELINE_ROUNDS:-1}
BEFORE=${BEFORE:-1}
MAX_LOAD=${MAX_LOAD:-1.2}
LOAD_WAIT=${LOAD_WAIT:-600}
JMH_OPTS=${JMH_OPTS:--f 1 -wi 2 -w 1s -i 3 -r 1s}
TORCH_OPTS=${TORCH_OPTS:---warmup 2 --measure 3}
RSS_FORWARDS=${RSS_FORWARDS:-20}
RSS_THREADS=${RSS_THREADS:-1}
PYTHON=${PYTHON:-/usr/bin/python3}
DATA=$BENCH/target/bench-data
OUT=$BENCH/target/results/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
start=$(date +%s)
BASELINE="mnist_b1 mnist_b64 dilated_b8 context_b8" # the cases with hand-written ND4J and DL4J versions

log() { echo "[bench $(( $(date +%s) - start ))s] $*" >&2; }
load() { echo "$(date +%T) $1 $(cut -d' ' -f1-3 /proc/loadavg)" >> "$OUT/load.txt"; }
# Other sessions share the cores: wait (up to LOAD_WAIT s) until the 1-minute load is below MAX_LOAD, then log it.
settle() {
  local waited=0
  while awk -v l="$(cut -d' ' -f1 /proc/loadavg)" -v m="$MAX_LOAD" 'BEGIN { exit !(l >= m) }' \
        && [[ $waited -lt $LOAD_WAIT ]]; do
    sleep 5; waited=$((waited + 5))
  done
  load "$1 (waited ${waited}s)"
}
has() { [[ " $1 " == *" $2 "* ]]; }

maven_args() { # the Maven arguments selecting a classifier: the project's default is the oneDNN build
  case $1 in
    linux-x86_64) echo "-Pplain" ;;
    linux-x86_64-onednn) echo "" ;;
    *) echo "-Dnd4j.classifier=$1" ;;
  esac
}

classpath() { echo "$BENCH/target/classes:$(cat "$BENCH/target/classpath-$1.txt")"; }

cases_for() { # the cases a classifier runs
  local cl=$1 c out=""
  for c in $CASES; do
    if [[ $cl == linux-x86_64-onednn ]] || has "$PLAIN_CASES" "$c"; then out="$out $c"; fi
  done
  echo "$out"
}

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
  echo "torch: $($PYTHON -c 'import torch, torchvision; print(torch.__version__, "torchvision", torchvision.__version__)')"
  echo "jmh: $JMH_OPTS; torch: $TORCH_OPTS; rounds: $ROUNDS; rss forwards: $RSS_FORWARDS; max load: $MAX_LOAD"
} > "$OUT/env.txt"

java_run() { # classifier, main class or jmh, args...
  local cl=$1; shift
  java -Dbench.data="$DATA" -Dbench.classifier="$cl" -cp "$(classpath "$cl")" "$@"
}

jmh() { # classifier, case, impls, result file stem, benchmark methods (regex), extra JVM args
  local cl=$1 c=$2 impls=$3 stem=$4 methods=$5 jvm=${6:-}
  # shellcheck disable=SC2086
  java_run "$cl" org.openjdk.jmh.Main "ForwardBench\.($methods)\$" -p benchCase="$c" -p impl="$impls" $JMH_OPTS \
    -jvmArgsAppend "-Dbench.data=$DATA -Dbench.classifier=$cl $jvm" -foe true \
    -rf json -rff "$OUT/$stem.json" > "$OUT/$stem.log" 2>&1 || { tail -40 "$OUT/$stem.log"; exit 1; }
}

torch() { # case, threads, round, malloc (best|default), extra args...
  local c=$1 t=$2 round=$3 malloc=$4; shift 4
  if [[ $malloc == best ]]; then
    MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=4294967296 BENCH_ROUND=$round \
      $PYTHON "$BENCH/py/bench_torch.py" --data "$DATA" --case "$c" --threads "$t" "$@"
  else
    BENCH_ROUND=$round $PYTHON "$BENCH/py/bench_torch.py" --data "$DATA" --case "$c" --threads "$t" "$@"
  fi
}

# --- data (written once, by the first build's generated model) and the equality check on every build
for cl in $CLASSIFIERS; do
  log "check outputs ($cl)"
  # shellcheck disable=SC2046
  OMP_NUM_THREADS=1 java_run "$cl" dev.shapeproof.bench.Prepare "$DATA" $(cases_for "$cl") | tee -a "$OUT/check.txt" >&2
done
for c in $CASES; do
  OMP_NUM_THREADS=1 torch "$c" 1 0 default --warmup 0 --measure 0 > /dev/null \
    || { echo "torch output check failed for $c" >&2; exit 1; }
done

# --- timing: rounds of (per thread count, per case: Java on each build, and PyTorch at its best and by default).
# Java is timed twice in one JMH run: forward (the caller drops each result, its memory left to the GC) and
# forwardReleased (the caller releases each result after reading it, as PyTorch's reference counting does). Odd rounds
# run Java, then PyTorch at its best, then by default; even rounds the reverse (by default, at its best, Java), so that
# the pair report.py compares (released, best) stays close in time and neither side always meets a co-tenant's phase
# first.
time_java() { # round, threads, case
  local round=$1 t=$2 c=$3 cl impls
  for cl in $CLASSIFIERS; do
    has "$(cases_for "$cl")" "$c" || continue
    impls=shapeproof
    if has "$BASELINE" "$c" && [[ $round -le $BASELINE_ROUNDS ]]; then impls=shapeproof,nd4j,dl4j; fi
    settle "jmh-$c-$cl-t$t-r$round"
    log "round $round: jmh $c $impls ($cl, $t thread(s))"
    jmh "$cl" "$c" "$impls" "jmh-t$t-$cl-$c-r$round" "forward|forwardReleased"
    if [[ $BEFORE == 1 && $cl == linux-x86_64-onednn ]]; then
      settle "jmh-nodnnl-$c-$cl-t$t-r$round"
      log "round $round: jmh $c without direct oneDNN ($cl, $t thread(s))"
      jmh "$cl" "$c" shapeproof "jmh-t$t-$cl-$c-r$round-nodnnl" forward -Dshapeproof.dnnl=never
    fi
  done
}
time_torch() { # round, threads, case, the malloc settings in order
  local round=$1 t=$2 c=$3 malloc
  for malloc in $4; do
    settle "torch-$malloc-$c-t$t-r$round"
    log "round $round: torch $c ($malloc malloc, $t thread(s))"
    # shellcheck disable=SC2086
    torch "$c" "$t" "$round" "$malloc" $TORCH_OPTS --out "$OUT/torch.jsonl" > /dev/null
  done
}
for round in $(seq 1 "$ROUNDS"); do
  for t in $THREADS; do
    export OMP_NUM_THREADS=$t
    for c in $CASES; do
      if (( round % 2 == 1 )); then
        time_java "$round" "$t" "$c"
        time_torch "$round" "$t" "$c" "best default"
      else
        time_torch "$round" "$t" "$c" "default best"
        time_java "$round" "$t" "$c"
      fi
    done
  done
done

# --- peak RSS, each implementation alone in its process (PeakRss): after 1 forward, after N whose results are
# released, after N more whose results are dropped (left to the GC); PyTorch as a default process (reference counting
# frees a dropped result at once).
if [[ $RSS_FORWARDS -gt 0 ]]; then
  for t in $RSS_THREADS; do
    export OMP_NUM_THREADS=$t
    for c in $CASES; do
      settle "rss-$c-t$t"
      log "rss $c ($t thread(s))"
      java_run linux-x86_64-onednn dev.shapeproof.bench.PeakRss "$c" shapeproof "$RSS_FORWARDS" >> "$OUT/rss.jsonl"
      torch "$c" "$t" 0 default --rss "$RSS_FORWARDS" --out "$OUT/rss.jsonl" > /dev/null
    done
  done
fi

log "done in $(( $(date +%s) - start )) s; results in $OUT"
$PYTHON "$BENCH/py/report.py" "$OUT" | tee "$OUT/table.md"
