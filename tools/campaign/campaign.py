#!/usr/bin/env python3
"""Generates a differential campaign: random models (gen.py, mutations.py), each rendered as Java (render.py) and judged
by PyTorch (oracle.py), written as verdict files that the conformance suite compiles with the processor and checks.

    /usr/bin/python3 tools/campaign/campaign.py --seed 7 --count 20000 --out /tmp/campaign-7
    mvn -B -o -pl conformance -am verify -Dconformance.cases=/tmp/campaign-7 -Dsurefire.failIfNoSpecifiedTests=false \
        -Dtest=CampaignTest

The committed CI campaign (conformance/campaign/) is `--seed 1 --count 2400 --numeric 0.12`, the
default of --out. Output, per batch of --batch models:

    cases-0000.jsonl   one JSON object per model: id, seed, kind, mutation, expect, source (the Java file), verdict
    numeric/<id>.weights.npz, numeric/<id>.io.npz   for a --numeric fraction of the valid models: the state_dict of
                       the layers forward calls, and input.<name> / output.<i> of a batch of 2 in eval mode

Byte-for-byte reproducible on one machine for one seed and count (same PyTorch build).
"""
import argparse
import collections
import io
import json
import multiprocessing
import os
import random
import sys
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import gen  # noqa: E402
import oracle  # noqa: E402
import render  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_OUT = os.path.join(ROOT, "conformance", "campaign")


def model_seed(seed, index):
    return seed * 1_000_003 + index


def save_npz(path, arrays):
    """np.savez_compressed with fixed zip timestamps and order, so reruns write identical bytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in sorted(arrays):
            data = io.BytesIO()
            np.lib.format.write_array(data, np.array(arrays[name], order="C"), allow_pickle=False)
            info = zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data.getvalue())
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def one(job):
    seed, index, numeric_fraction, out = job
    case_id = "c%06d" % index
    s = model_seed(seed, index)
    spec = gen.generate(case_id, s)
    numeric = random.Random(s ^ 0x5EED).random() < numeric_fraction
    verdict, golden = oracle.verdict(spec, numeric=numeric)
    case = {"id": case_id, "seed": s, "kind": spec["kind"], "mutation": spec.get("mutation"),
            "expect": spec.get("expect"), "suppress": spec.get("suppress", []),
            "source": render.java_source(spec, case_id), "verdict": verdict}
    if golden is not None:
        save_npz(os.path.join(out, "numeric", case_id + ".weights.npz"), golden["weights"])
        save_npz(os.path.join(out, "numeric", case_id + ".io.npz"), golden["io"])
        case["numeric"] = True
    return case


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2400)
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--numeric", type=float, default=0.12, help="fraction of valid models with numeric goldens")
    parser.add_argument("--batch", type=int, default=400, help="models per verdict file")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()

    os.makedirs(os.path.join(args.out, "numeric"), exist_ok=True)
    for name in os.listdir(args.out):
        if name.startswith("cases-") and name.endswith(".jsonl"):
            os.remove(os.path.join(args.out, name))
    for name in os.listdir(os.path.join(args.out, "numeric")):
        os.remove(os.path.join(args.out, "numeric", name))

    jobs = [(args.seed, i, args.numeric, args.out) for i in range(args.count)]
    stats = collections.Counter()
    with multiprocessing.Pool(args.jobs) as pool:
        cases = []
        for n, case in enumerate(pool.imap(one, jobs, chunksize=16)):
            cases.append(case)
            stats[case["verdict"]["status"]] += 1
            if (n + 1) % 1000 == 0:
                print("%d models: %s" % (n + 1, dict(stats)), file=sys.stderr)
    for b in range(0, len(cases), args.batch):
        with open(os.path.join(args.out, "cases-%04d.jsonl" % (b // args.batch)), "w", encoding="utf-8") as f:
            for case in cases[b:b + args.batch]:
                f.write(json.dumps(case, sort_keys=True, ensure_ascii=False) + "\n")
    numeric = sum(1 for c in cases if c.get("numeric"))
    mutated = sum(1 for c in cases if c["mutation"])
    print("%d models (%d mutated), %s, %d with numeric goldens, in %s" % (
        len(cases), mutated, dict(sorted(stats.items())), numeric, args.out))


if __name__ == "__main__":
    main()
