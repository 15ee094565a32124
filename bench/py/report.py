#!/usr/bin/python3
"""Prints bench/run.sh's table from a results directory (JMH JSON, torch.jsonl, rss.jsonl, load.txt, env.txt).

    /usr/bin/python3 bench/py/report.py bench/target/results/<time>

Each cell is the median over rounds of each round's median (JMH SampleTime p0.50; PyTorch: the median of its timed
runs), in ms, with the range of the round medians in brackets when there were several rounds. ShapeProof is timed
twice: "released", the caller releasing each result after reading it (ForwardBench.forwardReleased), and "dropped",
the caller dropping it for the GC to free (ForwardBench.forward). Targets: ShapeProof released on the default (oneDNN)
build ≤ 1.0× PyTorch at its best (malloc thresholds raised: both then reuse the memory of the last result); DL4J ≥ 3×
ShapeProof dropped on issue 6's four cases (both drop their results). The target column pairs each round's ShapeProof
median with the same round's PyTorch median (the two run back to back, in alternating order): the median of those
per-round ratios, with their range. A co-tenant's busy phases last tens of seconds to minutes, so a ratio of two runs
seconds apart cancels most of them, where the ratio of the two columns' medians can pair one side's quiet rounds with
the other's busy ones; that ratio of medians is printed beside it. "without direct oneDNN" is the same ShapeProof run with -Dshapeproof.dnnl=never: the runtime as it was
before oneDNN was called directly. Peak RSS: VmHWM of each implementation alone in its process, after 1 forward /
N released / N more dropped; target: ShapeProof's first two ≤ PyTorch's (a default process).
"""
import collections
import glob
import json
import os
import re
import statistics
import sys

CASES = ["mnist_b1", "mnist_b64", "dilated_b8", "context_b8", "aspp_b1", "aspp_b8", "dilgelu_b8", "mnistseq_b1",
         "smallresnet_b8", "resnet18_b1", "resnet18_b8", "resnet50_b1", "mobilenetv2_b1", "mobilenetv2_b8", "deeplab_b1"]
LABEL = {"mnist_b1": "seed MNIST b1", "mnist_b64": "seed MNIST b64", "dilated_b8": "dilated stack b8",
         "context_b8": "context module b8", "aspp_b1": "ASPP head b1", "aspp_b8": "ASPP head b8",
         "dilgelu_b8": "dilated conv + pool + GELU b8", "mnistseq_b1": "seed MNIST sequential b1",
         "smallresnet_b8": "small ResNet b8", "resnet18_b1": "resnet18 224 b1", "resnet18_b8": "resnet18 224 b8",
         "resnet50_b1": "resnet50 224 b1", "mobilenetv2_b1": "mobilenet_v2 224 b1",
         "mobilenetv2_b8": "mobilenet_v2 224 b8", "deeplab_b1": "deeplabv3_resnet50 256 b1"}
TARGET = 1.0
DL4J_TARGET = 3.0
BUILD = {"linux-x86_64": "plain", "linux-x86_64-onednn": "oneDNN"}


def fmt_ms(v):
    if v is None:
        return "–"
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def cell(rounds):
    """Median of the round medians, with their range when there are several."""
    values = list((rounds or {}).values())
    if not values:
        return None, "–"
    m = statistics.median(values)
    if len(values) == 1:
        return m, fmt_ms(m)
    return m, f"{fmt_ms(m)} [{fmt_ms(min(values))}–{fmt_ms(max(values))}]"


def paired(ours, theirs):
    """The median over rounds of ours / theirs in the same round, its range, and the pairs' count (None if none)."""
    rounds = sorted(set(ours or {}) & set(theirs or {}))
    ratios = [ours[r] / theirs[r] for r in rounds]
    if not ratios:
        return None, None, None, 0
    return statistics.median(ratios), min(ratios), max(ratios), len(ratios)


def mark(value, target, at_most):
    if value is None:
        return "–"
    ok = value <= target if at_most else value >= target
    return f"{value:.2f}× {'✓' if ok else '✗'}"


def main():
    out = sys.argv[1]
    jmh = collections.defaultdict(dict)  # (threads, classifier, case, impl) -> {round: median}
    pattern = re.compile(r"jmh-t(\d+)-(.+)-(" + "|".join(CASES) + r")(?:-r(\d+))?(-nodnnl)?\.json$")
    for path in glob.glob(os.path.join(out, "jmh-t*.json")):
        m = pattern.match(os.path.basename(path))
        if not m:
            continue
        threads, cl, case, before = int(m.group(1)), m.group(2), m.group(3), m.group(5)
        round_ = int(m.group(4) or 1)
        with open(path) as f:
            for r in json.load(f):
                pm = r["primaryMetric"]
                assert pm["scoreUnit"] == "ms/op", pm["scoreUnit"]
                impl = r["params"]["impl"] + ("-released" if r["benchmark"].endswith("Released") else "") \
                    + ("-nodnnl" if before else "")
                jmh[(threads, cl, case, impl)][round_] = pm["scorePercentiles"]["50.0"]
    torch = collections.defaultdict(dict)  # (threads, case, malloc) -> {round: median}
    if os.path.exists(os.path.join(out, "torch.jsonl")):
        with open(os.path.join(out, "torch.jsonl")) as f:
            for line in f:
                r = json.loads(line)
                torch[(r["threads"], r["case"], r.get("malloc", "default"))][r.get("round", 1)] = r["median_ms"]
    rss = []
    if os.path.exists(os.path.join(out, "rss.jsonl")):
        with open(os.path.join(out, "rss.jsonl")) as f:
            rss = [json.loads(line) for line in f if line.strip()]

    print("| case | threads | ND4J build | ShapeProof released | ShapeProof dropped | PyTorch best | PyTorch default | "
          "released / PyTorch best, paired by round (target ≤ 1.0×) | ratio of the medians | dropped / PyTorch best | without direct oneDNN (dropped) | "
          "before / PyTorch best | hand ND4J | DL4J | DL4J / ShapeProof dropped (≥ 3×) |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    threads = sorted({k[0] for k in jmh} | {k[0] for k in torch})
    for case in CASES:
        for t in threads:
            for cl in ("linux-x86_64-onednn", "linux-x86_64"):
                sp, sp_s = cell(jmh.get((t, cl, case, "shapeproof")))
                rel, rel_s = cell(jmh.get((t, cl, case, "shapeproof-released")))
                if sp is None and rel is None:
                    continue
                before, before_s = cell(jmh.get((t, cl, case, "shapeproof-nodnnl")))
                best, best_s = cell(torch.get((t, case, "best")))
                default, default_s = cell(torch.get((t, case, "default")))
                hand, hand_s = cell(jmh.get((t, cl, case, "nd4j")))
                dl, dl_s = cell(jmh.get((t, cl, case, "dl4j")))
                ratio, low, high, pairs = paired(jmh.get((t, cl, case, "shapeproof-released")),
                                                 torch.get((t, case, "best")))
                ratio_s = mark(ratio, TARGET, True) + (f" [{low:.2f}–{high:.2f}]" if pairs > 1 else "")
                medians_ratio = "–" if best is None or rel is None else f"{rel / best:.2f}×"
                dropped_ratio = "–" if best is None or sp is None else f"{sp / best:.2f}×"
                before_ratio = "–" if before is None or best is None else f"{before / best:.2f}×"
                dl_ratio = "–" if dl is None or sp is None else mark(dl / sp, DL4J_TARGET, False)
                print(f"| {LABEL[case]} | {t} | {BUILD.get(cl, cl)} | {rel_s} | {sp_s} | {best_s} | {default_s} | "
                      f"{ratio_s} | {medians_ratio} | {dropped_ratio} | {before_s} | {before_ratio} | {hand_s} | "
                      f"{dl_s} | {dl_ratio} |")
    print()
    print("Times: ms, the median over rounds of each round's median [range of the round medians]; the target column: "
          "the median [range] over rounds of ShapeProof released / PyTorch best in the same round; same weights and "
          "inputs, outputs checked equal (≤ 1e-4 relative) before timing. ShapeProof released: the caller releases "
          "each result after reading it; dropped: it leaves it to the GC. PyTorch best: glibc's malloc thresholds "
          "raised (its compute alone); default: a plain process.")
    if rss:
        print()
        print("| case | threads | ShapeProof peak RSS, GB: 1 forward / N released / +N dropped | "
              "PyTorch (default process): 1 / N | target: ShapeProof ≤ PyTorch |")
        print("| --- | --- | ---: | ---: | --- |")
        by = {}
        for r in rss:
            key = (int(r.get("threads") or 1), r["case"], "torch" if r["impl"] == "torch" else "shapeproof")
            by[key] = r
        for case in CASES:
            for t in sorted({k[0] for k in by}):
                sp = by.get((t, case, "shapeproof"))
                pt = by.get((t, case, "torch"))
                if sp is None and pt is None:
                    continue
                sp_s = "–" if sp is None else (f"{sp['hwm_1_mb'] / 1024:.2f} / {sp['hwm_n_mb'] / 1024:.2f} / "
                                               f"{sp['hwm_dropped_mb'] / 1024:.2f}")
                pt_s = "–" if pt is None else f"{pt['hwm_1_mb'] / 1024:.2f} / {pt['hwm_n_mb'] / 1024:.2f}"
                verdict = "–"
                if sp is not None and pt is not None:
                    ok = sp["hwm_n_mb"] <= pt["hwm_n_mb"]
                    verdict = f"{sp['hwm_n_mb'] / pt['hwm_n_mb']:.2f}× {'✓' if ok else '✗'}"
                print(f"| {LABEL[case]} | {t} | {sp_s} | {pt_s} | {verdict} |")
    env = os.path.join(out, "env.txt")
    if os.path.exists(env):
        with open(env) as f:
            print("; ".join(line.strip() for line in f if line.strip()))
    load = os.path.join(out, "load.txt")
    if os.path.exists(load):
        with open(load) as f:
            rows = [line.split() for line in f if line.strip()]
        values = [float(r[-3]) for r in rows if len(r) >= 5]  # time, label, (waited Ns), 1, 5, 15-min loads
        waits = [int(m.group(1)) for r in rows for m in [re.search(r"waited (\d+)s", " ".join(r))] if m]
        if values:
            print(f"1-min load average before each timed process: {min(values):.2f}–{max(values):.2f} "
                  f"(mean {sum(values) / len(values):.2f}) on {os.cpu_count()} cores"
                  + (f"; waited {sum(waits)} s in all for it to drop below the limit" if waits else ""))


if __name__ == "__main__":
    main()
