#!/usr/bin/python3
"""The most a model's answering policy could reach on a test set if its settings were chosen on that test set:
an upper bound for the policy targets of docs/PERFORMANCE.md, not a method (nothing chosen on test data ships).

  policy_bound.py SHOPDESK DATA_DIR VERSION TEST.csv [OUT_OF_SCOPE.csv] [--precision P] [--handoff H]

Classifies the test questions (text,label; a label the model does not know counts as out-of-scope, as CLINC150's
"oos") and the out-of-scope queries (column text) with `shopdesk classify --json`, then tries every policy of
shopdesk's form on a grid (answer when the top probability reaches the threshold, its lead over the second the
gap, and the out-of-scope probability stays under the ceiling) and prints, as one JSON object, the best share of
in-scope questions answered right among the policies whose answers are at least P precise (default 0.95) and
that hand off at least H of the out-of-scope queries (default 0.85), and the best among those handing off 88%.
"""
import argparse
import csv
import json
import subprocess

import numpy as np


def read(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def classify(shopdesk, data_dir, version, texts):
    out = []
    for start in range(0, len(texts), 500):
        run = subprocess.run([shopdesk, "--data-dir", data_dir, "classify", "--version", version, "--top", "1000000",
                              "--json", "--"] + texts[start:start + 500],
                             capture_output=True, text=True, check=True)
        out += [json.loads(line) for line in run.stdout.splitlines() if line.strip()]
    return out


def signals(rows):
    top = np.array([r["ranking"][0]["probability"] for r in rows])
    second = np.array([r["ranking"][1]["probability"] if len(r["ranking"]) > 1 else 0.0 for r in rows])
    oos = np.array([r["out_of_scope"] or 0.0 for r in rows])
    return top, top - second, oos


def best(right, inside, outside, precision, handoff):
    """Best share answered right over the grid, with the settings; inside/outside are (top, gap, oos) arrays."""
    top, gap, oos = inside
    thresholds = np.unique(np.quantile(top, np.linspace(0, 1, 101)))
    ceilings = np.unique(np.concatenate([np.quantile(outside[2], np.linspace(0, 1, 101)), [1.0]]))
    found = (0.0, None)
    for a in np.linspace(0, 0.5, 26):
        for c in ceilings:
            keep_in = (gap >= a) & (oos <= c)
            keep_out = (outside[1] >= a) & (outside[2] <= c)
            for t in thresholds:
                answered = keep_in & (top >= t)
                n = answered.sum()
                if n == 0:
                    continue
                hits = right[answered].sum()
                caught = 1 - (keep_out & (outside[0] >= t)).mean()
                if hits / n >= precision and caught >= handoff and hits / len(right) > found[0]:
                    found = (hits / len(right), {"threshold": round(float(t), 4), "ambiguity": round(float(a), 2),
                                                 "ceiling": round(float(c), 5), "precision": round(hits / n, 4),
                                                 "out_of_scope_handed_off": round(float(caught), 4)})
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shopdesk")
    parser.add_argument("data_dir")
    parser.add_argument("version")
    parser.add_argument("test")
    parser.add_argument("out_of_scope", nargs="?")
    parser.add_argument("--precision", type=float, default=0.95)
    parser.add_argument("--handoff", type=float, default=0.85)
    args = parser.parse_args()

    rows = read(args.test)
    queries = [r["text"] for r in read(args.out_of_scope)] if args.out_of_scope else []
    ranked = classify(args.shopdesk, args.data_dir, args.version, [r["text"] for r in rows] + queries)
    known = {c["category"] for r in ranked for c in r["ranking"]}
    inside = [i for i, r in enumerate(rows) if r["label"] in known]
    outside = [i for i, r in enumerate(rows) if r["label"] not in known] + list(range(len(rows), len(ranked)))
    right = np.array([ranked[i]["category"] == rows[i]["label"] for i in inside])
    sig = signals(ranked)
    part = lambda idx: tuple(s[idx] for s in sig)
    goal, settings = best(right, part(inside), part(outside), args.precision, args.handoff)
    strict, strict_settings = best(right, part(inside), part(outside), 0.0, 0.88)
    print(json.dumps({"in_scope": len(inside), "out_of_scope": len(outside), "argmax_accuracy": round(right.mean(), 4),
                      "best_answered_right": round(goal, 4), "at": settings,
                      "best_answered_right_handing_off_88": round(strict, 4), "at_88": strict_settings}))


if __name__ == "__main__":
    main()
