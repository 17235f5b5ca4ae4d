#!/usr/bin/python3
"""Checkpoint-free baselines on a text,label pair, for bench/run to set beside shopdesk's kinds: scikit-learn's
TF-IDF (word 1-2 + char_wb 2-5, sublinear tf) with LinearSVC and with LogisticRegression, and the fastText CLI.
Benchmark-only: Debian's python3-sklearn and fasttext, never needed by shopdesk itself.

  baselines.py TRAIN.csv TEST.csv OUT.json [--also MORE.csv] [--fasttext BINARY]

--also adds MORE's rows to TRAIN's: the validation rows, which shopdesk's shipped model learns too once its
settings are chosen, so every method learns from the same rows.

Labels of TEST that TRAIN lacks (CLINC150's "oos") are left out: the figures are in-scope accuracies.
"""
import argparse
import csv
import json
import os
import subprocess
import tempfile
import time

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score
from sklearn.svm import LinearSVC


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(f)]
    return [t for t, _ in rows], [l for _, l in rows]


def tfidf(train, test):
    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True)
    x = hstack([words.fit_transform(train), chars.fit_transform(train)]).tocsr()
    return x, hstack([words.transform(test), chars.transform(test)]).tocsr()


def scored(name, truth, predicted, seconds):
    return {"name": name, "accuracy": accuracy_score(truth, predicted),
            "macro_f1": f1_score(truth, predicted, average="macro"), "train_seconds": seconds}


def fasttext(binary, train_texts, train_labels, test_texts):
    def line(text):
        return " ".join(text.lower().split())

    with tempfile.TemporaryDirectory() as work:
        train_file = os.path.join(work, "train.txt")
        with open(train_file, "w", encoding="utf-8") as f:
            for t, l in zip(train_texts, train_labels):
                f.write(f"__label__{l} {line(t)}\n")
        test_file = os.path.join(work, "test.txt")
        with open(test_file, "w", encoding="utf-8") as f:
            for t in test_texts:
                f.write(line(t) + "\n")
        started = time.time()
        # The settings fastText's documentation gives for text classification with n-grams.
        subprocess.run([binary, "supervised", "-input", train_file, "-output", os.path.join(work, "model"),
                        "-epoch", "25", "-lr", "0.5", "-wordNgrams", "2", "-minn", "3", "-maxn", "5",
                        "-dim", "100", "-thread", "2", "-seed", "1", "-verbose", "0"], check=True)
        seconds = time.time() - started
        out = subprocess.run([binary, "predict", os.path.join(work, "model.bin"), test_file], check=True,
                             capture_output=True, text=True).stdout.splitlines()
    return [p.removeprefix("__label__") for p in out], seconds


def main():
    parser = argparse.ArgumentParser(description="Scores the checkpoint-free baselines on one data set.")
    parser.add_argument("train_file")
    parser.add_argument("test_file")
    parser.add_argument("out_file")
    parser.add_argument("--also", help="a text,label file whose rows are learned too")
    parser.add_argument("--fasttext", help="the fasttext binary; without it fastText is left out")
    args = parser.parse_args()
    train_file, test_file, out_file, binary = args.train_file, args.test_file, args.out_file, args.fasttext
    train_texts, train_labels = read(train_file)
    if args.also:
        more_texts, more_labels = read(args.also)
        train_texts, train_labels = train_texts + more_texts, train_labels + more_labels
    known = set(train_labels)
    test_texts, test_labels = zip(*[(t, l) for t, l in zip(*read(test_file)) if l in known])
    results = []
    started = time.time()
    x, t = tfidf(train_texts, test_texts)
    vectorize = time.time() - started
    for name, model in (("scikit-learn TF-IDF + LinearSVC (C=1)", LinearSVC(C=1.0)),
                        ("scikit-learn TF-IDF + LogisticRegression (C=10)", LogisticRegression(C=10, max_iter=3000))):
        started = time.time()
        model.fit(x, train_labels)
        results.append(scored(name, test_labels, model.predict(t), vectorize + time.time() - started))
    if binary:
        predicted, seconds = fasttext(binary, train_texts, train_labels, test_texts)
        results.append(scored("fastText CLI (25 epochs, word bigrams, char 3-5)", test_labels, predicted, seconds))
    with open(out_file, "w") as f:
        json.dump({"train": train_file, "also": args.also, "train_examples": len(train_texts), "test": test_file, "test_examples": len(test_texts), "results": results}, f,
                  indent=2)


if __name__ == "__main__":
    main()
