#!/usr/bin/python3
"""Lays out one data set for bench/run's quality comparison, so shopdesk and the baselines learn from the same
rows and nothing that tunes anything is ever scored:

  quality_data.py OUT_DIR TRAIN.csv TEST.csv [OUT_OF_SCOPE.csv] [--validation VALIDATION.csv]

writes OUT_DIR/fit.csv and validation.csv (what every method learns from; shopdesk chooses its kind, settings
and policy on validation.csv first: the given file, or a stratified 10% of TRAIN with seed 42), test.csv
(TEST as it is) and, with OUT_OF_SCOPE (column text), oos-fit.csv and oos-test.csv: half of it for shopdesk
to learn and tune on, the other half to score the hand-off policy on. With --validation the out-of-scope rows all go to
oos-fit.csv (the test file has its own, as CLINC150's test_with_oos.csv).
"""
import argparse
import csv
import os
import random


def read(path, columns):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [[row[c] for c in columns] for row in csv.DictReader(f)]


def write(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def main():
    parser = argparse.ArgumentParser(description="Lays out one data set for bench/run's quality comparison.")
    parser.add_argument("out")
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("oos", nargs="?")
    parser.add_argument("--validation")
    args = parser.parse_args()
    out, train, test, oos, validation = args.out, args.train, args.test, args.oos, args.validation
    os.makedirs(out, exist_ok=True)
    rng = random.Random(42)
    rows = read(train, ["text", "label"])
    if validation:
        fit, held = rows, read(validation, ["text", "label"])
    else:
        by_label = {}
        for r in rows:
            by_label.setdefault(r[1], []).append(r)
        fit, held = [], []
        for label in sorted(by_label):
            group = by_label[label][:]
            rng.shuffle(group)
            n = round(len(group) * 0.1) if len(group) > 2 else 0
            held += group[:n]
            fit += group[n:]
    write(os.path.join(out, "fit.csv"), ["text", "label"], fit)
    write(os.path.join(out, "validation.csv"), ["text", "label"], held)
    write(os.path.join(out, "test.csv"), ["text", "label"], read(test, ["text", "label"]))
    if oos:
        queries = [r[0] for r in read(oos, ["text"])]
        rng.shuffle(queries)
        half = len(queries) if validation else len(queries) // 2
        write(os.path.join(out, "oos-fit.csv"), ["text"], [[q] for q in queries[:half]])
        write(os.path.join(out, "oos-test.csv"), ["text"], [[q] for q in queries[half:]])


if __name__ == "__main__":
    main()
