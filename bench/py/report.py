#!/usr/bin/python3
"""Prints bench/run.sh's table from a results directory (JMH JSON, torch.jsonl, rss.jsonl, load.txt, env.txt).

    /usr/bin/python3 bench/py/report.py bench/target/results/<time>

Times are medians in ms (JMH SampleTime p0.50; torch: median of the timed runs). Ratios against issue 6's targets:
ShapeProof/PyTorch (≤ 1.5×, MNIST b64 ≤ 1.0×) and DL4J/ShapeProof (≥ 3×); hand/PyTorch is the floor of hand-written
ND4J for the same ratio. The last rows are the peak RSS (VmHWM) of the dilated stack, each implementation alone in
its process: after 1 forward, after N forwards whose results the caller released, and after N more whose results it
dropped (left to the garbage collector); the target (≤ 0.4 GB) is read on the first two.
"""
import glob
import json
import os
import re
import sys

CASES = ["mnist_b1", "mnist_b64", "dilated_b8", "context_b8"]
LABEL = {"mnist_b1": "seed MNIST b1", "mnist_b64": "seed MNIST b64", "dilated_b8": "dilated stack b8",
         "context_b8": "context module b8"}
TORCH_TARGET = {"mnist_b1": 1.5, "mnist_b64": 1.0, "dilated_b8": 1.5, "context_b8": 1.5}
DL4J_TARGET = 3.0
RSS_TARGET_GB = 0.4
BUILD = {"linux-x86_64": "plain", "linux-x86_64-onednn": "oneDNN"}


def fmt_ms(v):
    if v is None:
        return "–"
    return f"{v:.3f}" if v < 1 else f"{v:.2f}" if v < 10 else f"{v:.1f}" if v < 100 else f"{v:.0f}"


def ratio(a, b):
    return None if a is None or b is None else a / b


def mark(value, target, at_most):
    if value is None:
        return "–"
    ok = value <= target if at_most else value >= target
    return f"{value:.2f}× {'✓' if ok else '✗'}"


def main():
    out = sys.argv[1]
    jmh = {}  # (threads, classifier, case, impl) -> median ms
    for path in glob.glob(os.path.join(out, "jmh-t*-*.json")):
        m = re.match(r"jmh-t(\d+)-(.+)-(" + "|".join(CASES) + r")\.json$", os.path.basename(path))
        if not m:
            continue
        threads, cl, case = int(m.group(1)), m.group(2), m.group(3)
        with open(path) as f:
            for r in json.load(f):
                pm = r["primaryMetric"]
                assert pm["scoreUnit"] == "ms/op", pm["scoreUnit"]
                jmh[(threads, cl, case, r["params"]["impl"])] = pm["scorePercentiles"]["50.0"]
    torch = {}
    if os.path.exists(os.path.join(out, "torch.jsonl")):
        with open(os.path.join(out, "torch.jsonl")) as f:
            for line in f:
                r = json.loads(line)
                torch[(r["threads"], r["case"])] = r["median_ms"]
    rss = []
    if os.path.exists(os.path.join(out, "rss.jsonl")):
        with open(os.path.join(out, "rss.jsonl")) as f:
            rss = [json.loads(line) for line in f if line.strip()]

    keys = sorted({(t, cl) for (t, cl, _, _) in jmh}, key=lambda k: (k[0], k[1] != "linux-x86_64", k[1]))
    print("| case | threads | ND4J build | ShapeProof | hand ND4J | DL4J | PyTorch 1.13 | ShapeProof / PyTorch "
          "(target) | hand / PyTorch | DL4J / ShapeProof (target ≥ 3×) |")
    print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case in CASES:
        for (t, cl) in keys:
            sp, hand, dl = (jmh.get((t, cl, case, i)) for i in ("shapeproof", "nd4j", "dl4j"))
            pt = torch.get((t, case))
            if sp is None and hand is None and dl is None:
                continue
            target = TORCH_TARGET[case]
            print(f"| {LABEL[case]} | {t} | {BUILD.get(cl, cl)} | {fmt_ms(sp)} | {fmt_ms(hand)} | {fmt_ms(dl)} | "
                  f"{fmt_ms(pt)} | {mark(ratio(sp, pt), target, True)} (≤ {target}×) | "
                  f"{'–' if ratio(hand, pt) is None else f'{ratio(hand, pt):.2f}×'} | "
                  f"{mark(ratio(dl, sp), DL4J_TARGET, False)} |")
    if rss:
        by = {}
        for r in rss:
            key = (int(r.get("threads") or 1), r.get("classifier", "torch"), r["impl"])
            by[key] = (r["hwm_1_mb"] / 1024, r["hwm_n_mb"] / 1024, r.get("hwm_dropped_mb"), r["forwards"])
        for t in sorted({k[0] for k in by}):
            for cl in sorted({k[1] for k in by if k[0] == t and k[1] != "torch"}, key=lambda c: c != "linux-x86_64"):
                def cell(impl, classifier):
                    v = by.get((t, classifier, impl))
                    if v is None:
                        return "–"
                    # Python frees by reference count: a dropped result is a released one.
                    dropped = "–" if v[2] is None else f"{v[2] / 1024:.2f}"
                    return f"{v[0]:.2f} / {v[1]:.2f} / {dropped}"
                sp = by.get((t, cl, "shapeproof"))
                n = next((v[3] for k, v in by.items() if k[0] == t), "N")
                verdict = "–" if sp is None else f"{sp[1]:.2f} GB {'✓' if sp[1] <= RSS_TARGET_GB else '✗'} (≤ 0.4 GB)"
                print(f"| dilated b8 peak RSS, GB: 1 forward / {n} released / +{n} dropped | {t} | "
                      f"{BUILD.get(cl, cl)} | {cell('shapeproof', cl)} | {cell('nd4j', cl)} | {cell('dl4j', cl)} | "
                      f"{cell('torch', 'torch')} | {verdict} | | |")
    print()
    print("Times: medians in ms (JMH SampleTime p0.50; PyTorch: median of timed runs after warm-up), same weights "
          "and inputs, outputs checked equal (≤ 1e-4 relative) before timing. ✓/✗: issue 6's targets.")
    env = os.path.join(out, "env.txt")
    if os.path.exists(env):
        with open(env) as f:
            print("; ".join(line.strip() for line in f if line.strip()))
    load = os.path.join(out, "load.txt")
    if os.path.exists(load):
        with open(load) as f:
            values = [float(line.split()[2]) for line in f if line.strip()]
        if values:
            print(f"1-min load average during the run: {min(values):.2f}–{max(values):.2f} "
                  f"(mean {sum(values) / len(values):.2f}) on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
