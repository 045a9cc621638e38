#!/usr/bin/env python3
"""Score `quarry split` on the English Golden Rules.

Usage: eval-sentences.py QUARRY_BIN GOLDEN.jsonl [--rules DIR]

Feeds every golden text as a JSON line {"id": "golden_en_NNN", "text": ...} on stdin
to `QUARRY_BIN split - [--rules DIR]`, which prints one JSON object per sentence
{"doc", "index", "start", "end", "text"} with start/end in Unicode scalar offsets
into the document text. Each document's sentences are compared with the expected
ones exactly (the text between the offsets) and with white space collapsed; every
miss is printed with expected and actual sentences. The last line reads
`golden rules: N/M`; the exit status is 1 when any rule is missed.
"""
import argparse
import json
import subprocess
import sys


def collapse(text):
    return " ".join(text.split())


def main():
    parser = argparse.ArgumentParser(description="Score quarry split on the Golden Rules.")
    parser.add_argument("quarry", help="path to the quarry executable")
    parser.add_argument("golden", help="golden rules, JSON lines {num, title, text, sentences}")
    parser.add_argument("--rules", help="rule pack folder passed on to quarry")
    args = parser.parse_args()

    cases = []
    with open(args.golden, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                case = json.loads(line)
                case["id"] = "golden_en_%03d" % int(case["num"])
                cases.append(case)

    command = [args.quarry, "split", "-"]
    if args.rules:
        command += ["--rules", args.rules]
    feed = "".join(json.dumps({"id": c["id"], "text": c["text"]}, ensure_ascii=False) + "\n" for c in cases)
    run = subprocess.run(command, input=feed.encode("utf-8"), capture_output=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode("utf-8", "replace"))
        print("%s exited with status %d" % (" ".join(command), run.returncode), file=sys.stderr)
        return 2

    found = {c["id"]: [] for c in cases}
    for line in run.stdout.decode("utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        found.setdefault(record["doc"], []).append(record)

    exact = collapsed = 0
    for case in cases:
        records = sorted(found.get(case["id"], []), key=lambda r: r["index"])
        # The offsets are the contract; "text" is only cross-checked against them.
        actual = [case["text"][r["start"]:r["end"]] for r in records]
        bad_text = [r for r, a in zip(records, actual) if r.get("text") != a]
        expected = case["sentences"]
        if actual == expected and not bad_text:
            exact += 1
            collapsed += 1
            continue
        if [collapse(s) for s in actual] == [collapse(s) for s in expected] and not bad_text:
            collapsed += 1
            continue
        print("MISS %s (rule %s: %s)" % (case["id"], case["num"], case["title"]))
        print("  text:     %s" % json.dumps(case["text"], ensure_ascii=False))
        print("  expected: %s" % json.dumps(expected, ensure_ascii=False))
        print("  actual:   %s" % json.dumps(actual, ensure_ascii=False))
        for record in bad_text:
            print("  record %d: \"text\" %s does not match its offsets %d..%d"
                  % (record["index"], json.dumps(record.get("text"), ensure_ascii=False),
                     record["start"], record["end"]))
    print("exact (offsets, no white space change): %d/%d" % (exact, len(cases)))
    print("golden rules: %d/%d" % (collapsed, len(cases)))
    return 0 if collapsed == len(cases) else 1


if __name__ == "__main__":
    sys.exit(main())
