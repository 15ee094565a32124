#!/usr/bin/env bash
# Where ShapeProof's Java kernels for small tensors stop paying: every size of bench's KernelCrossover timed with the
# Java kernels forced on (-Dshapeproof.smallTensorKernels=always) and off (=never), printed side by side. The limits
# in the op rooms of runtime/src/main/java/dev/shapeproof/nn/ops/ come from this table (bench/README.md).
#
#   bench/crossover.sh                                   # oneDNN build, OMP_NUM_THREADS=1 (~1 min with the build)
#   CLASSIFIER=linux-x86_64 THREADS=2 bench/crossover.sh
#
# Settings: CLASSIFIER [linux-x86_64-onednn], THREADS [1], SKIP_BUILD=1, MVN_ARGS (e.g. -o).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH=$ROOT/bench
CLASSIFIER=${CLASSIFIER:-linux-x86_64-onednn}
OUT=$BENCH/target/results/crossover-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  case $CLASSIFIER in # the project's default is the oneDNN build
    linux-x86_64-onednn) profile="" ;;
    linux-x86_64) profile="-Pplain" ;;
    *) profile="-Dnd4j.classifier=$CLASSIFIER" ;;
  esac
  (cd "$ROOT" && mvn -B -q ${MVN_ARGS:-} -Pbench $profile -Dmaven.test.skip=true package) > "$OUT/build.log" 2>&1 \
    || { cat "$OUT/build.log"; exit 1; }
fi

CP="$BENCH/target/classes:$(cat "$BENCH/target/classpath-$CLASSIFIER.txt")"
CORES=$(nproc)
export OMP_NUM_THREADS=${THREADS:-1}
for mode in always never; do
  java -Dbench.classifier="$CLASSIFIER" -Dshapeproof.smallTensorKernels=$mode -cp "$CP" \
    dev.shapeproof.bench.KernelCrossover > "$OUT/$mode.tsv"
done

{
  echo "| op | input | work (elements or MACs) | Java kernel, µs | ND4J, µs | ND4J / Java |"
  echo "| --- | --- | ---: | ---: | ---: | ---: |"
  paste "$OUT/always.tsv" "$OUT/never.tsv" | awk -F'\t' '{ printf "| %s | %s | %d | %.1f | %.1f | %.2f× |\n", $1, $2, $3, $4, $8, $8 / $4 }'
  echo
  echo "$CLASSIFIER, OMP_NUM_THREADS=$OMP_NUM_THREADS, $CORES cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT/table.md"
