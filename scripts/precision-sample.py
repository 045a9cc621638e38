#!/usr/bin/env python3
"""Draw a precision sample of Quarry's facts on a corpus, for a person to judge.

usage: precision-sample.py QUARRY_BIN CORPUS [--rules rules] [--out docs/precision-sample.md]
                           [--seed 2026] [--n 100] [--max-other 150] [--judged FILE]
                           [--facts FILE] [--reuse-facts]

Runs `quarry run CORPUS --rules RULES` and draws two samples of facts:

  (a) a uniform random sample of N facts: the N whose SHA-256 of seed and fact id
      is smallest, so a fact keeps its place in the sample across rule changes;
  (b) every fact whose relation is not `role`; when there are more than --max-other,
      that many whose hash is smallest.

It writes a markdown page with one row per fact: fact id, relation, arguments
(role=canonical; a list joined with +), rule id, the evidence sentence trimmed to
about 60 characters around the arguments (arguments in bold, white space collapsed,
`|` escaped), a verdict (`right` / `wrong`) and a "why".

A "why" is written `kind: detail` ("not a person: a company"); the page counts wrong
facts by kind and names the rules behind each kind.

With --judged FILE, verdicts and reasons are carried over from an earlier page by
fact id, so after a rule change only new facts need a verdict; judged facts that the
run no longer produces are listed under "Gone since last judged". The text between
`<!-- notes -->` and `<!-- /notes -->` in the judged page is carried over as well.

Prints the precision of each sample (right / judged) and, for every rule id with a
wrong fact, right/judged for that rule.

--facts FILE keeps quarry's output there (default: a temporary file, removed);
--reuse-facts reads FILE instead of running quarry again.
"""
import argparse
import collections
import datetime
import json
import os
import hashlib
import re
import shlex
import subprocess
import sys
import tempfile

HEX_ID = re.compile(r"^[0-9a-f]{16}$")
CONTEXT = 30          # characters of context on each side of the arguments
MAX_SPAN = 140        # longer argument spans are cut in the middle
NOTES_OPEN, NOTES_CLOSE = "<!-- notes -->", "<!-- /notes -->"


# ---------------------------------------------------------------------------- facts

def run_quarry(quarry, corpus, rules, facts_path):
    cmd = [quarry, "run", corpus, "--rules", rules, "--output", facts_path]
    run = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if run.returncode not in (0, 1):   # 1: some inputs skipped, facts still written
        sys.stderr.write(run.stderr)
        sys.exit(f"precision-sample: quarry run failed with status {run.returncode}")
    summary = [line for line in run.stderr.splitlines() if line.strip()]
    return summary[-1] if summary else ""


def read_facts(path):
    facts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                fact = json.loads(line)
                facts[fact["id"]] = fact   # same id twice is the same fact
    return [facts[k] for k in sorted(facts)]


def mentions(value):
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def args_text(fact):
    parts = []
    for role, value in fact["args"].items():
        ms = mentions(value)
        if ms:
            parts.append(f"{role}=" + "+".join(m.get("canonical") or m["text"] for m in ms))
    return "; ".join(parts)


def snippet(fact):
    """The evidence around the arguments, arguments in bold, one line, `|` escaped."""
    text = fact["evidence"]
    base = fact["sentence"]["start"]
    spans = sorted({(m["start"] - base, m["end"] - base)
                    for v in fact["args"].values() for m in mentions(v)
                    if 0 <= m["start"] - base <= m["end"] - base <= len(text)})
    # drop spans nested in another (a title inside a name, say)
    spans = [s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)]
    if not spans:
        lo, hi = 0, min(len(text), 2 * CONTEXT)
    else:
        lo, hi = spans[0][0], max(e for _, e in spans)
    lo, hi = max(0, lo - CONTEXT), min(len(text), hi + CONTEXT)
    while lo > 0 and not text[lo - 1].isspace():         # whole words
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    out, pos = [], lo
    for s, e in spans:
        if s < pos:
            continue
        out.append(("plain", text[pos:s]))
        out.append(("arg", text[s:e]))
        pos = e
    out.append(("plain", text[pos:hi]))

    def clean(t):
        return re.sub(r"\s+", " ", t).replace("|", "\\|")

    pieces = []
    for kind, t in out:
        t = clean(t)
        if kind == "plain" and len(t) > MAX_SPAN:
            t = t[:MAX_SPAN // 2] + " … " + t[-MAX_SPAN // 2:]
        pieces.append(f"**{t.strip()}**" if kind == "arg" and t.strip() else t)
    body = "".join(pieces).strip()
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


# ---------------------------------------------------------------------------- judged page

def split_row(line):
    cells, cur, i = [], [], 0
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    while i < len(line):
        if line[i] == "\\" and i + 1 < len(line) and line[i + 1] == "|":
            cur.append("\\|")
            i += 2
            continue
        if line[i] == "|":
            cells.append("".join(cur).strip())
            cur = []
        else:
            cur.append(line[i])
        i += 1
    cells.append("".join(cur).strip())
    return cells


def read_judged(path):
    """{fact id: (verdict, why, relation, args, rule)} and the carried-over notes."""
    judged, notes = {}, None
    if not path or not os.path.exists(path):
        return judged, notes
    with open(path, encoding="utf-8") as f:
        page = f.read()
    if NOTES_OPEN in page and NOTES_CLOSE in page:
        notes = page.split(NOTES_OPEN, 1)[1].split(NOTES_CLOSE, 1)[0].strip("\n")
    for line in page.splitlines():
        if not line.startswith("|"):
            continue
        cells = split_row(line)
        if len(cells) < 7 or not HEX_ID.match(cells[0].strip("`")):
            continue
        fid = cells[0].strip("`")
        verdict, why = cells[5].strip().lower(), cells[6].strip()
        if verdict in ("right", "wrong") and fid not in judged:
            judged[fid] = (verdict, why, cells[1], cells[2], cells[3])
    return judged, notes


# ---------------------------------------------------------------------------- page

def kind_of(why):
    why = why.strip()
    return why.split(":", 1)[0].strip() if ":" in why else (why or "(no reason given)")


def precision(rows):
    judged = [r for r in rows if r["verdict"] in ("right", "wrong")]
    right = sum(r["verdict"] == "right" for r in judged)
    return right, len(judged), len(rows)


def fmt_p(right, judged, total):
    if not judged:
        return f"0/0 judged (of {total})"
    extra = "" if judged == total else f", {total - judged} not yet judged"
    return f"{right}/{judged} = {right / judged:.2f}{extra}"


def table(rows):
    out = ["| fact | relation | arguments | rule | evidence | verdict | why |",
           "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        out.append(f"| `{r['id']}` | {r['relation']} | {r['args']} | {r['rule']} | {r['evidence']} "
                   f"| {r['verdict']} | {r['why']} |")
    return out


def per_rule(rows):
    by_rule = collections.defaultdict(lambda: [0, 0])
    for r in rows:
        if r["verdict"] in ("right", "wrong"):
            by_rule[r["rule"]][1] += 1
            by_rule[r["rule"]][0] += r["verdict"] == "right"
    return by_rule


def git(root, *args):
    try:
        return subprocess.run(["git", "-C", root, *args], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("quarry")
    p.add_argument("corpus")
    p.add_argument("--rules", default="rules")
    p.add_argument("--out", default="docs/precision-sample.md")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--max-other", type=int, default=150)
    p.add_argument("--judged")
    p.add_argument("--facts", help="keep quarry's output in this file")
    p.add_argument("--reuse-facts", action="store_true", help="read --facts instead of running quarry")
    a = p.parse_args()

    root = git(os.path.dirname(os.path.abspath(a.rules)) or ".", "rev-parse", "--show-toplevel") or "."
    commit = git(root, "rev-parse", "--short", "HEAD") or "unknown"
    dirty = git(root, "status", "--porcelain", "--", "rules", "Sources")

    summary = ""
    with tempfile.TemporaryDirectory() as tmp:
        facts_path = a.facts or os.path.join(tmp, "facts.jsonl")
        if a.reuse_facts:
            if not a.facts or not os.path.exists(a.facts):
                sys.exit("precision-sample: --reuse-facts needs an existing --facts FILE")
        else:
            summary = run_quarry(a.quarry, a.corpus, a.rules, facts_path)
        facts = read_facts(facts_path)

    if not facts:
        sys.exit("precision-sample: quarry produced no facts")
    # Bottom-k sampling: the N facts whose hash of seed and id is smallest. A fact
    # keeps its place after a rule change, so verdicts carry over (--judged) for
    # every fact the change leaves alone.
    def rank(fact, salt):
        return hashlib.sha256(f"{a.seed}:{salt}:{fact['id']}".encode()).hexdigest()

    sample_a = sorted(facts, key=lambda f: rank(f, "a"))[:a.n]
    other = [f for f in facts if f["relation"] != "role"]
    sample_b = other if len(other) <= a.max_other else sorted(other, key=lambda f: rank(f, "b"))[:a.max_other]

    judged, notes = read_judged(a.judged)
    by_id = {f["id"]: f for f in facts}

    def row(f):
        v, why = judged.get(f["id"], ("", "", None, None, None))[:2]
        return {"id": f["id"], "relation": f["relation"], "args": args_text(f).replace("|", "\\|"),
                "rule": f["rule"]["id"], "evidence": snippet(f), "verdict": v, "why": why}

    rows_a = [row(f) for f in sorted(sample_a, key=lambda f: f["id"])]
    rows_b = [row(f) for f in sorted(sample_b, key=lambda f: (f["relation"], f["rule"]["id"], f["id"]))]
    gone = [(fid, j) for fid, j in sorted(judged.items()) if fid not in by_id]

    # ------------------------------------------------------------------ report
    pa, pb = precision(rows_a), precision(rows_b)
    rels = collections.Counter(f["relation"] for f in facts)
    all_rows = {r["id"]: r for r in rows_a + rows_b}.values()
    wrong = [r for r in all_rows if r["verdict"] == "wrong"]
    kinds = collections.defaultdict(list)
    for r in wrong:
        kinds[kind_of(r["why"])].append(r)

    cmd = " ".join(shlex.quote(x) for x in [os.path.join("scripts", "precision-sample.py")] + sys.argv[1:])
    today = datetime.date.today().isoformat()
    out = [
        "# Precision sample of the default rule pack",
        "",
        "Generated by `scripts/precision-sample.py`; verdicts are a person's, read from the",
        "evidence sentence. Re-run with `--judged` on this page to keep them (see the script's",
        "help). Do not edit the tables by hand except the verdict and why columns.",
        "",
        f"- Commit: `{commit}`" + (" (with uncommitted changes under rules/ or Sources/)" if dirty else ""),
        f"- Command: `{cmd}`",
        f"- Seed: {a.seed}; date: {today}",
        f"- Corpus: `{os.path.basename(a.corpus)}`; facts produced: {len(facts)} "
        f"({', '.join(f'{k} {v}' for k, v in rels.most_common())})",
    ]
    if summary:
        out.append(f"- quarry: `{summary}`")
    out += [
        "- Sampling: (a) is the N facts with the smallest SHA-256 of `seed:a:id` (a uniform "
        f"random sample that stays put when other facts come and go), N = {a.n}; (b) is every "
        f"fact whose relation is not `role` ({len(other)} facts"
        + (f", of which the {a.max_other} with the smallest hash" if len(other) > a.max_other else "") + "). "
        "A fact may be in both samples; it carries one verdict.",
        "- Verdicts: `right` when the fact is what the sentence states (roles in the right places; "
        "a `role` fact is right if the person holds or held the title per the sentence; `of`, when "
        "present, must be right too); `wrong` otherwise, with a `kind: detail` reason.",
        "",
        "## Precision",
        "",
        f"- (a) uniform sample of all facts: {fmt_p(*pa)}",
        f"- (b) facts other than `role`: {fmt_p(*pb)}",
        "",
    ]
    out += ["## Errors by kind", ""]
    if kinds:
        out += ["| kind | wrong facts | rule ids (count) |", "| --- | --- | --- |"]
        for kind, rs in sorted(kinds.items(), key=lambda kv: (-len(kv[1]), kv[0])):
            rules = collections.Counter(r["rule"] for r in rs)
            out.append(f"| {kind} | {len(rs)} | "
                       + ", ".join(f"{k} ({v})" for k, v in rules.most_common()) + " |")
    else:
        out.append("No wrong facts judged yet.")
    out += ["", "## Precision by rule (both samples, each fact once)", "",
            "| rule | right/judged |", "| --- | --- |"]
    for rule, (right, n) in sorted(per_rule(all_rows).items(), key=lambda kv: (kv[1][0] / kv[1][1], kv[0])):
        out.append(f"| {rule} | {right}/{n} |")
    out += ["", "## Notes", "", NOTES_OPEN, notes if notes is not None else "", NOTES_CLOSE, ""]
    out += [f"## (a) Uniform sample of {len(rows_a)} facts", ""] + table(rows_a)
    out += ["", f"## (b) Facts other than `role` ({len(rows_b)})", ""] + table(rows_b)
    out += ["", "## Gone since last judged", ""]
    if gone:
        out.append(f"{len(gone)} judged facts are no longer produced:")
        out.append("")
        for fid, (v, why, rel, args, rule) in gone:
            out.append(f"- `{fid}` {rel} {args} ({rule}): was {v}" + (f" ({why})" if why else ""))
    else:
        out.append("None." if a.judged else "Not compared (no --judged page given).")
    out.append("")
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    tmp_out = a.out + ".tmp"
    with open(tmp_out, "w", encoding="utf-8") as f:
        f.write("\n".join(out))
    os.replace(tmp_out, a.out)

    # ------------------------------------------------------------------ stdout
    print(f"facts: {len(facts)}; sample (a) {len(rows_a)}, sample (b) {len(rows_b)}; "
          f"carried over {sum(1 for r in {r['id']: r for r in rows_a + rows_b}.values() if r['verdict'])} verdicts; "
          f"gone {len(gone)}")
    for name, rows, prec in (("(a) uniform", rows_a, pa), ("(b) not role", rows_b, pb)):
        print(f"precision {name}: {fmt_p(*prec)}")
        for rule, (right, n) in sorted(per_rule(rows).items()):
            if right < n:
                print(f"    {rule}: {right}/{n}")
    print(f"wrote {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
