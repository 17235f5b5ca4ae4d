#!/usr/bin/env python3
"""Writes docs/PERFORMANCE.md from the results bench/run left in RESULTS_DIR (Python standard library only).

usage: report.py RESULTS_DIR OUT.md
"""
import glob
import json
import os
import re
import statistics
import sys

res, out_path = sys.argv[1], sys.argv[2]
meta = json.load(open(os.path.join(res, "meta.json")))
steps = {}
for line in open(os.path.join(res, "steps.jsonl")):
    s = json.loads(line)
    steps[s["id"]] = s
quick = meta["mode"] == "quick"
SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def path(name):
    return os.path.join(res, name)


def gbench(name):
    """run name -> {"seconds": [...], "items_per_second": [...], counter: [...]} over the repetitions."""
    runs = {}
    if not os.path.exists(path(name)):
        return runs
    for b in json.load(open(path(name)))["benchmarks"]:
        if b.get("run_type") != "iteration":
            continue
        r = runs.setdefault(b["run_name"], {})
        r.setdefault("seconds", []).append(b["real_time"] * SECONDS[b["time_unit"]])
        for k, v in b.items():
            if isinstance(v, (int, float)) and k not in ("real_time", "cpu_time", "iterations", "repetitions",
                                                         "repetition_index", "threads", "family_index",
                                                         "per_family_instance_index"):
                r.setdefault(k, []).append(float(v))
    return runs


def rss_mb(name):
    try:
        text = open(path(name)).read()
    except FileNotFoundError:
        return None
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    return int(m.group(1)) / 1024 if m else None


def proc_status_mb(name, field):
    """A field (VmRSS, RssAnon, RssFile) of a server's /proc status just before it was stopped, MB."""
    try:
        m = re.search(field + r":\s+(\d+) kB", open(path(name)).read())
    except FileNotFoundError:
        return None
    return int(m.group(1)) / 1024 if m else None


def stat(values):
    return (statistics.median(values), min(values), max(values), len(values)) if values else None


def fmt(value, digits=None):
    if value is None:
        return "–"
    if digits is None:
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2 if abs(value) >= 1 else 3
    return f"{value:,.{digits}f}"


def spread(values, scale=1.0, unit="", digits=None):
    """'median unit (min–max, n=N)' of values × scale."""
    s = stat(values)
    if s is None:
        return "not measured"
    med, lo, hi, n = s
    if n == 1:
        return f"{fmt(med * scale, digits)}{unit} (1 run)"
    return f"{fmt(med * scale, digits)}{unit} ({fmt(lo * scale, digits)}–{fmt(hi * scale, digits)}, n={n})"


def median(values, scale=1.0):
    return statistics.median(values) * scale if values else None


def command(step_id):
    return steps[step_id]["command"] if step_id in steps else None


def commands(prefix_pattern):
    return [s["command"] for i, s in steps.items() if re.match(prefix_pattern, i)]


def code(cmds):
    cmds = [c for c in cmds if c]
    return "```sh\n" + "\n".join(cmds) + "\n```\n" if cmds else ""


lines = []
w = lines.append


def previous_http(text):
    """The previous document's HTTP tables: (commit, {table title: {connections: (requests/s, p99 ms)}})."""
    commit = re.search(r"from commit `([0-9a-f]+)`", text)
    tables, title = {}, None
    for line in text.splitlines():
        if line.startswith("### "):
            title = line[4:].strip()
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if title and len(cells) == 5 and cells[0].isdigit():
            first = [float(re.match(r"[0-9,.]+", c).group(0).replace(",", "")) if re.match(r"[0-9]", c) else None
                     for c in cells[1:]]
            tables.setdefault(title, {})[int(cells[0])] = (first[0], first[3])
    return (commit.group(1) if commit else "unknown"), tables


# The document this run replaces: its HTTP figures are set beside this run's, so a regression shows.
previous_commit, previous_tables = previous_http(open(out_path).read()) if os.path.exists(out_path) else ("", {})

# ---------------------------------------------------------------- the figures
ngram_predict = gbench("ngram-predict.json")
ngram_train = gbench("ngram-train.json")
one = ngram_predict.get("BM_NgramPredictOne", {})
batch64 = ngram_predict.get("BM_NgramPredictBatch64/real_time", {})
train_sizes = {}
for name, r in ngram_train.items():
    m = re.match(r"BM_NgramTrain/(\d+)/", name)
    if m:
        train_sizes[int(m.group(1))] = r
train15k = train_sizes.get(15000, {})
linear_predict = gbench("linear-predict.json")
linear_one = linear_predict.get("BM_LinearPredictOne", {})
ensemble_one = linear_predict.get("BM_EnsemblePredictOne", {})
linear_train = gbench("linear-train.json").get("BM_LinearTrain/iterations:1/real_time", {})

models = meta["models"].split()
tf = {}
for m in models:
    infer = gbench(f"transformer-{m}-infer.json")
    infer.update(gbench(f"transformer-{m}-infer-int8.json"))
    lengths = gbench(f"transformer-{m}-lengths.json")
    training = gbench(f"transformer-{m}-train.json")
    config = {}
    if os.path.exists(path(f"transformer-{m}-config.json")):
        config = json.load(open(path(f"transformer-{m}-config.json")))
    tokens, tokens_int8 = {}, {}
    for name, r in lengths.items():
        mm = re.match(rf"{re.escape(m)}/tokens(_int8)?/(\d+)", name)
        if mm:
            (tokens_int8 if mm.group(1) else tokens)[int(mm.group(2))] = r
    tf[m] = {
        "query": infer.get(f"{m}/query/real_time", {}),
        "batch32": infer.get(f"{m}/batch32/real_time", {}),
        "query_int8": infer.get(f"{m}/query_int8/real_time", {}),
        "batch32_int8": infer.get(f"{m}/batch32_int8/real_time", {}),
        "dynamic": lengths.get(f"{m}/dynamic", {}),
        "dynamic_int8": lengths.get(f"{m}/dynamic_int8", {}),
        "padded": lengths.get(f"{m}/padded512", {}),
        "tokens": tokens,
        "tokens_int8": tokens_int8,
        "train": training.get(f"{m}/train/iterations:1/real_time", {}),
        "config": config,
        "rss_infer": rss_mb(f"transformer-{m}-infer.time"),
        "rss_infer_int8": rss_mb(f"transformer-{m}-infer-int8.time"),
        "rss_train": rss_mb(f"transformer-{m}-train.time"),
    }
    p = tf[m]["padded"].get("seconds")
    # Padding alone: the network on the same query, padded and not. Against shopdesk's path: one question
    # through TransformerClassifier::logits, as the server answers it (tokenizing included, which the padded
    # side leaves out); the network-only int8 row ran 20-30% slower than that whole path, so it is not it.
    for key, against in (("ratio", "dynamic"), ("served", "query"), ("served_int8", "query_int8")):
        d = tf[m][against].get("seconds")
        tf[m][key] = median(p) / median(d) if d and p else None
    # int8 figures only where libtorch really ran int8 (it falls back to float without the oneDNN engine)
    tf[m]["int8"] = bool(median(tf[m]["query_int8"].get("int8")) or median(tf[m]["dynamic_int8"].get("int8")))


def http(name):
    """connections -> {"rps": [...], "p50": [...], "p90": [...], "p99": [...]} (latencies in ms)."""
    by_c = {}
    for f in sorted(glob.glob(path(f"http-{name}-c*-r*.json"))):
        c = int(re.search(r"-c(\d+)-r\d+\.json$", f).group(1))
        d = json.load(open(f))
        r = by_c.setdefault(c, {"rps": [], "p50": [], "p90": [], "p99": [], "timeouts": 0})
        r["rps"].append(d["requests_per_second"])
        for q in ("p50", "p90", "p99"):
            r[q].append(d["latency_us"][q] / 1000)
        r["timeouts"] += d["errors"]["timeout"]
    return dict(sorted(by_c.items()))


def cpu_cost(name, c=32):
    """CPU time per request at c connections, µs, over the runs: {"server": [...], "database": [...], "wrk": [...],
    "total": [...]}, from bench/run's http-NAME-cC-rN.cpu ("server database wrk" seconds) and the run's request count."""
    out = {"server": [], "database": [], "wrk": [], "total": []}
    for f in sorted(glob.glob(path(f"http-{name}-c{c}-r*.cpu"))):
        requests = json.load(open(f[:-len(".cpu")] + ".json"))["requests"]
        server, database, load = (float(x) for x in open(f).read().split())
        if not requests:
            continue
        for k, v in (("server", server), ("database", database), ("wrk", load),
                     ("total", server + database + load)):
            out[k].append(v / requests * 1e6)
    return out


def allowed(cost):
    """Requests/s the machine's cores allow at this CPU time per request (µs), every core busy with nothing else."""
    m = median(cost["total"])
    return int(meta["cores"]) * 1e6 / m if m else None


http_sqlite = http("sqlite")
http_healthz = http("healthz")
cost = {n: cpu_cost(n) for n in ("healthz", "sqlite", "postgresql")}
http_pg = http("postgresql")
server_model = meta["server_model"]
http_tf = http(f"transformer-{server_model}")
server_names = ("sqlite", "postgresql", f"transformer-{server_model}")
rss_server = {n: rss_mb(f"server-{n}.time") for n in server_names}
rss_after = {n: proc_status_mb(f"server-{n}.status", "VmRSS") for n in server_names}
rss_anon = {n: proc_status_mb(f"server-{n}.status", "RssAnon") for n in server_names}
rss_file = {n: proc_status_mb(f"server-{n}.status", "RssFile") for n in server_names}
terminated = [n for n in server_names if os.path.exists(path(f"server-{n}.time")) and
              "terminated by signal" in open(path(f"server-{n}.time")).read()]


def server_rss(n):
    if not rss_server.get(n):
        return "not measured"
    return (f"peak {fmt(rss_server[n])} MB (`/usr/bin/time -v`); {fmt(rss_after[n])} MB resident after the load "
            f"(VmRSS: {fmt(rss_anon[n])} MB anonymous memory, {fmt(rss_file[n])} MB file-backed pages such as "
            "the code of libtorch and the other shared libraries)")


def accuracy(name):
    try:
        ev = json.load(open(path(f"accuracy-{name}-eval.json")))
        tr = json.load(open(path(f"accuracy-{name}-train.json")))
    except FileNotFoundError:
        return None
    kinds = {}
    for kind in ("auto", "linear", "ngram", "ensemble"):
        try:
            kinds[kind] = {"eval": json.load(open(path(f"accuracy-{name}-{kind}-eval.json"))),
                           "train": json.load(open(path(f"accuracy-{name}-{kind}-train.json")))}
        except FileNotFoundError:
            pass
    try:
        baselines = json.load(open(path(f"baselines-{name}.json")))["results"]
    except FileNotFoundError:
        baselines = []
    return {"eval": ev, "train": tr, "kinds": kinds, "baselines": baselines}


def svc(a):
    """The LinearSVC baseline's test accuracy, or None."""
    return next((b["accuracy"] for b in a["baselines"] if "LinearSVC" in b["name"]), None)


datasets = [re.match(r"accuracy-([^-]+)-eval\.json$", os.path.basename(f)).group(1)
            for f in sorted(glob.glob(path("accuracy-*-eval.json")))
            if re.match(r"accuracy-([^-]+)-eval\.json$", os.path.basename(f))]
datasets.sort(key=lambda n: (n != "demo", n != "messy", n))
acc = {n: accuracy(n) for n in datasets}

# ---------------------------------------------------------------- targets


def verdict(value, target, higher_better, full_only=False):
    if value is None:
        return "not measured" + (" (full mode only)" if quick and full_only else "")
    ok = value >= target if higher_better else value <= target
    return "met" if ok else "**not met**"


targets = []  # (area, target, measured text, status)


def target(area, text, value, goal, higher, shown, full_only=False):
    targets.append((area, text, shown if value is not None else "–", verdict(value, goal, higher, full_only)))


t = one.get("seconds")
target("n-gram", "`predict`, one query ≤ 20 µs", median(t), 20e-6, False, spread(t, 1e6, " µs") if t else None)
t = batch64.get("items_per_second")
target("n-gram", "batch of 64 across 2 cores ≥ 100k queries/s", median(t), 100e3, True,
       spread(t, 1e-3, "k queries/s") if t else None)
t = train15k.get("seconds")
target("n-gram", "training 15,000 examples × 20 epochs ≤ 10 s", median(t), 10, False,
       spread(t, 1, " s") if t else None)
t = linear_one.get("seconds")
target("linear", "`predict`, one query ≤ 50 µs median", median(t), 50e-6, False, spread(t, 1e6, " µs") if t else None)
t = linear_train.get("seconds")
target("linear", f"training {'CLINC150' if meta['ngram_data'] == 'clinc150' else 'the demo data'} ≤ 15 s (2 cores)",
       median(t), 15, False, spread(t, 1, " s") if t else None)
clinc = acc.get("clinc150")
demo = acc.get("demo")
if clinc:
    ev = clinc["eval"]
    target("quality", "CLINC150 in-scope test accuracy ≥ 94.0%", ev["accuracy"], 0.94, True, f"{ev['accuracy'] * 100:.1f}%")
    oos, kept = ev["policy"]["out_of_scope_recall"], ev["policy"]["in_scope_accuracy"]
    target("quality", "CLINC150 test_with_oos: out-of-scope recall ≥ 88% with in-scope answered right ≥ 91%",
           min(oos / 0.88, kept / 0.91), 1.0, True, f"{oos * 100:.1f}% recall, {kept * 100:.1f}% answered right")
else:
    target("quality", "CLINC150 in-scope test accuracy ≥ 94.0%", None, 0.94, True, None, full_only=True)
if demo:
    ev = demo["eval"]
    target("quality", "demo data/test.csv accuracy ≥ 92%", ev["accuracy"], 0.92, True, f"{ev['accuracy'] * 100:.1f}%")
    p = ev["policy"]
    target("quality", "demo: ≥ 85% of in-scope test questions answered and right at ≥ 95% precision",
           min(p["in_scope_accuracy"] / 0.85, p["answer_precision"] / 0.95), 1.0, True,
           f"{p['in_scope_accuracy'] * 100:.1f}% at {p['answer_precision'] * 100:.1f}% precision")
    target("quality", "demo: ≥ 85% of held-out out-of-scope queries handed off", p["out_of_scope_recall"], 0.85, True,
           f"{p['out_of_scope_recall'] * 100:.1f}% of {p['out_of_scope']}")
messy = acc.get("messy")
if messy:
    ev = messy["eval"]
    target("quality", "demo data/test_messy.csv accuracy ≥ 90%", ev["accuracy"], 0.90, True,
           f"{ev['accuracy'] * 100:.1f}%")
    if demo:
        gap = (demo["eval"]["accuracy"] - ev["accuracy"]) * 100
        target("quality", "test_messy.csv within 3 points of test.csv", gap, 3, False, f"{gap:.1f} points")
for n, a in acc.items():
    base = svc(a) if a else None
    if base is not None:
        gain = (a["eval"]["accuracy"] - base) * 100
        target("quality", f"{n}: ≥ +1.5 points over TF-IDF + LinearSVC (same rows, same run)", gain, 1.5, True,
               f"{gain:+.1f} points ({a['eval']['accuracy'] * 100:.1f}% vs {base * 100:.1f}%)")
c32 = http_sqlite.get(32, {})
def within(name):
    """'; N µs of CPU per request: the cores allow ≈ M/s' (see the CPU table under HTTP)."""
    m = allowed(cost[name])
    return f"; {fmt(median(cost[name]['total']))} µs of CPU per answer, so {meta['cores']} cores allow ≈ {fmt(m)}/s" if m else ""


target("HTTP", "SQLite ≥ 15k requests/s at 32 connections", median(c32.get("rps")), 15e3, True,
       spread(c32.get("rps"), 1, " req/s") + within("sqlite") if c32 else None)
# Issue 20 asks for the p99 at every connection count measured (1 to 64 in full mode): the worst one counts.
worst = max(((median(r["p99"]), c) for c, r in http_sqlite.items()), default=None)
target("HTTP", "SQLite p99 ≤ 10 ms at every connection count measured", worst[0] if worst else None, 10, False,
       f"{worst[0]:.1f} ms at {worst[1]} connections (the worst); "
       + ", ".join(f"{c}: {median(r['p99']):.1f}" for c, r in http_sqlite.items()) if worst else None)
p32 = http_pg.get(32, {})
target("HTTP", "PostgreSQL ≥ 8k requests/s at 32 connections", median(p32.get("rps")), 8e3, True,
       spread(p32.get("rps"), 1, " req/s") + within("postgresql") if p32 else None)
target("HTTP", "PostgreSQL p99 ≤ 15 ms at 32 connections", median(p32.get("p99")), 15, False,
       spread(p32.get("p99"), 1, " ms") if p32 else None)
v = rss_server["sqlite"]
target("HTTP", "server RSS ≤ 150 MB (the default kind on the demo store; SQLite server's peak)", v, 150, False,
       f"{fmt(v)} MB peak, {fmt(rss_after['sqlite'])} MB after the load" if v else None)
base = tf.get("bert-base")
# The targets hold the path trained models answer with: int8 linear layers (float where libtorch lacks them).
path8 = "_int8" if base and base["int8"] else ""
how = " (int8, as trained models answer)" if path8 else " (float)"
q = base["query" + path8].get("seconds") if base else None
target("bert-base", "one query of ~16 tokens ≤ 12 ms median", median(q), 12e-3, False,
       spread(q, 1e3, " ms") + how if q else None, full_only=True)
ratio = base["served" + path8] if base else None
target("bert-base", "≥ 50× faster than padding every query to 512 tokens (same model, same run)", ratio, 50,
       True, f"{ratio:.1f}× (padded float ÷ one query, {'int8' if path8 else 'float'}, as the server answers it)"
       if ratio else None,
       full_only=True)
b = base["batch32" + path8].get("items_per_second") if base else None
target("bert-base", "batches of 32 short queries ≥ 200 queries/s", median(b), 200, True,
       spread(b, 1, " queries/s") + how if b else None, full_only=True)
v = rss_server.get("transformer-bert-base")
target("bert-base", "server RSS with it loaded ≤ 700 MB (peak)", v, 700, False,
       f"{fmt(v)} MB peak, {fmt(rss_after.get('transformer-bert-base'))} MB after the load" if v else None,
       full_only=True)

# ---------------------------------------------------------------- the document
mode_cmd = "bench/run --quick" if quick else "bench/run"
w("# Performance\n")
if quick:
    w("> **Quick mode.** These figures come from `bench/run --quick`: the tiny transformer only (no "
      "bert-base-shaped figures), one 3-second wrk run per setting, the demo data's accuracy only, fewer "
      "repetitions. Run `bench/run` on an idle machine for the full set.\n")
if meta["note"]:
    w(f"> **Note:** {meta['note']}\n")
changed = meta["dirty"] if isinstance(meta["dirty"], list) else []
dirty = (f", with uncommitted changes to {', '.join(f'`{f}`' for f in changed[:5])}"
         f"{' and others' if len(changed) > 5 else ''}" if changed else "")
w(f"Written by `{mode_cmd}` on {meta['date']} from commit `{meta['commit']}` ({meta['subject']}){dirty}.\n")
flags = meta.get("cpu_flags", "").split()
w(f"- Machine: {meta['cpu']}" + (f" ({', '.join(flags)})" if flags else "") +
  f", {meta['cores']} cores, {meta['memory_gib']} GiB of memory.")
w(f"- Load average (1, 5, 15 min) when measuring began: {meta['load_start']}; at the end: {meta['load_end']}.")
w(f"- Measuring took {meta['measure_seconds']} s ({meta['total_seconds']} s with the install and build "
  f"check). Release build in `{meta['build']}/`; `OMP_WAIT_POLICY=PASSIVE` for every process.")
w("- Each figure is the **median (min–max, n = runs)**. In-process figures are Google Benchmark repetitions "
  f"({meta['reps']} for latency and throughput, {meta['train_reps']} for training); HTTP figures are "
  f"{meta['http_reps']} wrk run(s) of {meta['http_seconds']} s per setting. Peak RSS is `/usr/bin/time -v`'s "
  "maximum resident set size of the whole process.")
w("- The command behind each figure follows its table (`$WORK` is the scratch folder of the run).\n")

w("## Targets\n")
w("| area | target (from the issues) | measured | status |")
w("| --- | --- | --- | --- |")
for area, text, shown, status in targets:
    w(f"| {area} | {text} | {shown} | {status} |")
met = sum(1 for x in targets if x[3] == "met")
missed = [x[1] for x in targets if x[3] == "**not met**"]
unmeasured = sum(1 for x in targets if x[3].startswith("not measured"))
w(f"\n{met} of {len(targets)} targets met" + (f"; not met: {'; '.join(missed)}" if missed else "") +
  (f"; {unmeasured} not measured in this mode." if unmeasured else ".") + "\n")
if base:
    w("Fine-tuning throughput and peak RSS of bert-base have no target; they are under Transformer models.\n")

# n-gram
w("## n-gram model\n")
w(f"Data: {'CLINC150 (`train.csv`, `test.csv`)' if meta['ngram_data'] == 'clinc150' else 'the demo data (`data/train.csv`, `data/test.csv`)'}; "
  "the model's default settings (20 epochs).\n")
w("| figure | median (min–max, n) |")
w("| --- | --- |")
w(f"| `predict`, one query | {spread(one.get('seconds'), 1e6, ' µs')} |")
w(f"| batch of 64, across cores | {spread(batch64.get('items_per_second'), 1e-3, 'k queries/s')} |")
w(f"| training, 15,000 examples × 20 epochs | {spread(train15k.get('seconds'), 1, ' s')} |")
w(f"| peak RSS, a process that trains once then predicts | {fmt(rss_mb('ngram-predict.time'))} MB |")
w(f"| peak RSS, the training process (largest size: {max(train_sizes) if train_sizes else '–'} examples) "
  f"| {fmt(rss_mb('ngram-train.time'))} MB |")
if "http-demo-train" in steps:
    w(f"| `shopdesk train` on the demo data, default kind (linear, n-gram and their ensemble, policy; one run) "
      f"| {steps['http-demo-train']['seconds']:.1f} s |")
w("")
w(code([command("ngram-predict"), command("ngram-train")]))

w("## Linear model and the ensemble\n")
w("Same data; the linear model with its defaults (C chosen on the validation file when there is one), and the "
  "ensemble of it and the n-gram model that the default kind often picks.\n")
w("| figure | median (min–max, n) |")
w("| --- | --- |")
w(f"| linear `predict`, one query | {spread(linear_one.get('seconds'), 1e6, ' µs')} |")
w(f"| ensemble `predict`, one query | {spread(ensemble_one.get('seconds'), 1e6, ' µs')} |")
w(f"| linear training, the whole training file | {spread(linear_train.get('seconds'), 1, ' s')} |")
w(f"| peak RSS, the training process | {fmt(rss_mb('linear-train.time'))} MB |")
w("")
w(code([command("linear-predict"), command("linear-train")]))

# transformers
w("## Transformer models\n")
vocab = meta["vocab"]
w("Random weights in the BERT layout (timing does not depend on the values), written by "
  "`transformer_bench init`; " + (f"vocabulary: the real bert-base-uncased `vocab.txt` ({vocab})."
                                  if vocab else "vocabulary: WordPiece built from the demo texts (a few "
                                  "thousand tokens; the embedding size barely affects latency).") + "\n")
w("| figure | " + " | ".join(models) + " |")
w("| --- |" + " --- |" * len(models))


def row(label, cells):
    w(f"| {label} | " + " | ".join(cells) + " |")


def shape(c):
    if not c:
        return "–"
    return (f"{c.get('num_hidden_layers')} layers, hidden {c.get('hidden_size')}, {c.get('num_attention_heads')} "
            f"heads, intermediate {c.get('intermediate_size')}, vocabulary {c.get('vocab_size'):,}")


def cell(values, scale=1.0, extra=""):
    """spread() plus a remark, or 'not measured'."""
    return spread(values, scale) + extra if values else "not measured"


def counter(r, name, digits=0):
    return fmt(median(r.get(name)), digits)


row("shape", [shape(tf[m]["config"]) for m in models])
for suffix, what in (("", "float"), ("_int8", "int8")):
    row(f"one query (`TransformerClassifier::logits`), {what}, ms",
        [cell(tf[m]["query" + suffix].get("seconds"), 1e3,
              f"; {counter(tf[m]['query' + suffix], 'tokens', 1)} tokens on average") for m in models])
for suffix, what in (("", "float"), ("_int8", "int8")):
    row(f"batch of 32 short demo queries, {what}, queries/s",
        [cell(tf[m]["batch32" + suffix].get("items_per_second"), 1,
              f"; padded to {counter(tf[m]['batch32' + suffix], 'padded_tokens')} tokens") for m in models])
for suffix, what in (("", "float"), ("_int8", "int8")):
    row(f"the network on one query at its length (dynamic padding), {what}, ms",
        [cell(tf[m]["dynamic" + suffix].get("seconds"), 1e3,
              f"; {counter(tf[m]['dynamic' + suffix], 'tokens')} tokens") for m in models])
row("the same query padded to 512, float (the original design), ms",
    [cell(tf[m]["padded"].get("seconds"), 1e3) for m in models])
row("**padded ÷ dynamic**, float (padding alone)",
    [f"**{tf[m]['ratio']:.1f}×**" if tf[m]["ratio"] else "–" for m in models])
row("**padded float ÷ one query int8** (the original design against shopdesk's path, `TransformerClassifier::logits`)",
    [f"**{tf[m]['served_int8']:.1f}×**" if tf[m]["served_int8"] else "–" for m in models])
row("largest logit difference, padded vs dynamic (float)",
    [f"{median(tf[m]['padded']['max_logit_difference']):.1e}" if tf[m]["padded"] else "–" for m in models])
row("fine-tuning: one epoch (checkpoint loading included), s",
    [cell(tf[m]["train"].get("seconds"), 1, f" for {counter(tf[m]['train'], 'examples')} examples, batch "
                                            f"{counter(tf[m]['train'], 'batch_size')}") for m in models])
row("fine-tuning throughput, tokens/s (loading excluded)",
    [cell(tf[m]["train"].get("tokens_per_second")) for m in models])
row("peak RSS, inference process, float, MB", [fmt(tf[m]["rss_infer"]) for m in models])
row("peak RSS, inference process, int8 (float weights let go), MB", [fmt(tf[m]["rss_infer_int8"]) for m in models])
row("peak RSS, fine-tuning process (AdamW), MB", [fmt(tf[m]["rss_train"]) for m in models])
if any(not tf[m]["int8"] and tf[m]["query_int8"] for m in models):
    w("\nlibtorch here has no oneDNN quantized engine: the int8 rows ran in float.")
w("")
w("Trained models answer with int8 linear layers (`TransformerClassifier::Options::int8`, the default); the "
  "float rows are the same model without them. The padded and dynamic rows call "
  "`TransformerNetworkImpl::forward` on the same ~16-token demo query: once at its own length, once padded to "
  "512 with a zero attention mask (the logits agree, see the difference row). The fine-tuning rows train one epoch of a random subset of the demo training data "
  "(`TransformerClassifier::train`, max length 128, AdamW, full encoder)." + (
      "" if base else " bert-base is measured in the full mode only.") + "\n")
w(code([c for m in models for c in (command(f"transformer-{m}-init"), command(f"transformer-{m}-infer"),
                                     command(f"transformer-{m}-infer-int8"), command(f"transformer-{m}-lengths"),
                                     command(f"transformer-{m}-train"))]))

# scaling
w("## How cost grows with work\n")
w("### n-gram training time by number of examples (20 epochs)\n")
w("| examples | time, s | per 1,000 examples, s |")
w("| --- | --- | --- |")
for size, r in sorted(train_sizes.items()):
    w(f"| {size:,} | {spread(r['seconds'])} | {fmt(median(r['seconds']) / size * 1000, 3)} |")
if not train_sizes:
    w("| – | not measured | |")
w(f"\nResampled from {meta['ngram_data']}'s training file: a random subset, or all of it plus random repeats "
  "when it has fewer rows.\n")
w("### Transformer latency by sequence length (one sequence, the network alone)\n")
lengths_all = sorted({n for m in models for n in tf[m]["tokens"]})
w("| tokens | " + " | ".join(f"{m} float, ms | {m} int8, ms" for m in models) + " |")
w("| --- |" + " --- |" * (2 * len(models)))
for n in lengths_all:
    row(str(n), [spread(tf[m][key].get(n, {}).get("seconds"), 1e3) for m in models
                 for key in ("tokens", "tokens_int8")])
w("")
w("### HTTP latency as connections grow\n")
w("See the tables under HTTP: one row per number of connections.\n")

# HTTP


def http_table(title, by_c):
    w(f"### {title}\n")
    if not by_c:
        w("Not measured.\n")
        return
    w("| connections | requests/s | p50, ms | p90, ms | p99, ms |")
    w("| --- | --- | --- | --- | --- |")
    for c, r in by_c.items():
        w(f"| {c} | {spread(r['rps'])} | {spread(r['p50'])} | {spread(r['p90'])} | {spread(r['p99'])} |")
    timeouts = sum(r["timeouts"] for r in by_c.values())
    if timeouts:
        w(f"\n{timeouts} request(s) timed out (10 s).")
    w("")
    before = previous_tables.get(title)
    if not before:
        w("No earlier figures for this table to compare with.\n")
        return
    w(f"Against the previous run (commit `{previous_commit}`, medians; a ratio under 1 for requests/s, or over 1 "
      "for p99, is a regression, or a busier machine):\n")
    w("| connections | requests/s, now ÷ before | p99, now ÷ before |")
    w("| --- | --- | --- |")
    def ratio(now, then):
        return f"{now / then:.2f} ({fmt(now)} ÷ {fmt(then)})" if now and then else "–"

    for c, r in by_c.items():
        rps, p99 = before.get(c, (None, None))
        w(f"| {c} | {ratio(median(r['rps']), rps)} | {ratio(median(r['p99']), p99)} |")
    w("")


w("## HTTP: `POST /api/v1/answers`\n")
w("wrk on loopback (2 threads, or 1 for one connection) against `shopdesk serve` on the same 2 cores, cycling "
  "through the demo test queries (`data/test.csv`) as `{\"query\": …}` bodies (`bench/lib/answers.lua`); every answer is "
  "stored (group commit) before it is sent. The default kind is trained on the demo data beforehand, so the "
  "server's peak RSS is serving only.\n")
http_table("SQLite (the default model)", http_sqlite)
w(f"Server RSS: {server_rss('sqlite')}.\n")
w(code([command("http-demo-load"), command("http-demo-train"),
        command("server-sqlite")] +
       commands(r"http-sqlite-c")))
http_table("PostgreSQL (the default model; the test fixture's throw-away server: fsync and wal_init_zero off)", http_pg)
w(f"Server RSS: {server_rss('postgresql')}.\n")
w(code([command("postgres-start"), command("postgres-load"), command("postgres-train"),
        command("server-postgresql")] +
       commands(r"http-postgresql-c")))
w("### What one request costs (32 connections)\n")
w("CPU time per request (user + system, all threads, from `/proc/PID/stat` before and after each run; wrk's from "
  "`/usr/bin/time`), and the rate the machine's cores allow at that cost if they did nothing else: the server, "
  "the PostgreSQL server and wrk share them. `GET /healthz` is the same SQLite server's cheapest route, so it is "
  "what HTTP alone costs here; an answer's own work is the difference.\n")
w(f"| route | requests/s | server, µs | database server, µs | wrk, µs | all, µs | {meta['cores']} cores allow, requests/s |")
w("| --- | --- | --- | --- | --- | --- | --- |")
for name, label, by_c in (("healthz", "`GET /healthz` (SQLite server)", http_healthz),
                          ("sqlite", "`POST /api/v1/answers`, SQLite", http_sqlite),
                          ("postgresql", "`POST /api/v1/answers`, PostgreSQL", http_pg)):
    k = cost[name]
    if not k["total"]:
        w(f"| {label} | not measured | | | | | |")
        continue
    w(f"| {label} | {spread(by_c.get(32, {}).get('rps'))} | {spread(k['server'])} | "
      f"{spread(k['database']) if name == 'postgresql' else '–'} | {spread(k['wrk'])} | {spread(k['total'])} | "
      f"{fmt(allowed(k))} |")
w("")
w(code(commands(r"http-healthz-c")))
http_table(f"SQLite with the {server_model} transformer active", http_tf)
w(f"Server RSS with the {server_model} transformer loaded: {server_rss(f'transformer-{server_model}')}. The model was trained for one epoch with the "
  "encoder frozen on 20 examples per category (its accuracy does not matter here).\n")
w(code([command("server-transformer-categories"), command("server-transformer-import"),
        command("server-transformer-train"),
        command(f"server-transformer-{server_model}")] + commands(rf"http-transformer-{re.escape(server_model)}-c")))

if terminated:
    w(f"Note: `shopdesk serve` did not stop cleanly on SIGTERM here ({', '.join(terminated)}): `/usr/bin/time` "
      "reports \"Command terminated by signal 15\" and the log has no \"stopping on signal\" line.\n")

# answer quality
w("## Answer quality beside checkpoint-free baselines\n")
w("Every method learns from the same rows (`fit.csv` and `validation.csv`: CLINC150's `train.csv` and "
  "`val.csv`; the demo's `train.csv`), is scored once on the test file's in-scope questions, and nothing "
  "that chose anything saw them. shopdesk's kinds choose their settings, kind (auto) and hand-off policy on "
  "`validation.csv` (CLINC150's `val.csv`; 10% of the demo's) and half of the out-of-scope queries, then "
  "learn it too; the baselines run at their usual settings (`bench/lib/baselines.py`; Debian's "
  "python3-sklearn and fasttext, benchmark-only). "
  "Δ is in points of accuracy against TF-IDF + LinearSVC.\n")
for n, a in acc.items():
    if not a:
        continue
    base = svc(a)
    w(f"### {n}\n")
    w("| method | test accuracy | macro-F1 | Δ vs LinearSVC | training, s |")
    w("| --- | --- | --- | --- | --- |")
    rows = []
    for kind, k in a["kinds"].items():
        chosen = f" (chose {k['train'].get('version', '').split('-')[0]})" if kind == "auto" else ""
        rows.append((f"shopdesk {kind}{chosen}", k["eval"]["accuracy"], k["eval"]["macro_f1"],
                     k["train"].get("training_seconds", 0)))
    for b in a["baselines"]:
        rows.append((b["name"], b["accuracy"], b["macro_f1"], b["train_seconds"]))
    for name, accuracy_, f1, seconds in rows:
        delta = f"{(accuracy_ - base) * 100:+.1f}" if base is not None else "–"
        w(f"| {name} | {accuracy_ * 100:.1f}% | {f1 * 100:.1f}% | {delta} | {seconds:.1f} |")
    w("")
    w("Answering with each kind's tuned policy (goals: 95% precise answers, 85% of out-of-scope queries "
      "handed off), on the test file and the held-out out-of-scope queries:\n")
    w("| kind | answered and right | precision of answers | handed off (in scope) | out-of-scope handed off "
      "| threshold, ambiguity, out-of-scope ceiling |")
    w("| --- | --- | --- | --- | --- | --- |")
    for kind, k in a["kinds"].items():
        p = k["eval"]["policy"]
        oos = f"{p['out_of_scope_recall'] * 100:.1f}% of {p['out_of_scope']:,}" if p["out_of_scope"] else "–"
        ceiling = p["policy"].get("out_of_scope_ceiling", 1.0)
        ceiling = f"{ceiling:.2g}" if ceiling < 1 else "none"
        w(f"| {kind} | {p['in_scope_accuracy'] * 100:.1f}% | {p['answer_precision'] * 100:.1f}% | "
          f"{p['handoff_rate'] * 100:.1f}% | {oos} | "
          f"{p['policy']['threshold']:.2f}, {p['policy']['ambiguity']:.2f}, {ceiling} |")
    w("")
if not clinc:
    w("CLINC150 is compared in the full mode when `../shared/datasets/clinc150` exists.\n")
w(code([c for n in acc for c in ([command(f"quality-{n}-data"), command(f"accuracy-{n}-load")] +
                                 [command(f"accuracy-{n}-{k}-{s}") for k in ("auto", "linear", "ngram", "ensemble")
                                  for s in ("train", "eval")] + [command(f"baselines-{n}")])]))

w("---\nRaw results (Google Benchmark JSON, wrk JSON, `/usr/bin/time -v` output, server logs) are in "
  f"`{meta['build']}/bench-results/` after a run.")

with open(out_path, "w") as f:
    f.write("\n".join(lines) + "\n")
