#!/usr/bin/env python3
"""Run Quarry on seeds/ and score it against the gold facts.

usage: eval-seeds.py QUARRY_BIN GOLD.jsonl [--rules DIR] [--min-precision P]

Prints the scorer's report (every gold line hit or missed, every extra fact) and its
summary line; exits 1 unless every required fact is found and precision is at least
--min-precision (default 0.95).
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("quarry")
    parser.add_argument("gold")
    parser.add_argument("--rules", default="rules")
    parser.add_argument("--seeds", default="seeds")
    parser.add_argument("--min-precision", type=float, default=0.95)
    args = parser.parse_args()
    scorer = os.path.join(os.path.dirname(os.path.abspath(args.gold)), "..", "tools", "score-facts")
    with tempfile.TemporaryDirectory() as tmp:
        facts = os.path.join(tmp, "facts.jsonl")
        run = subprocess.run([args.quarry, "run", args.seeds, "--rules", args.rules, "--output", facts],
                             capture_output=True, text=True)
        if run.returncode != 0:
            sys.stderr.write(run.stderr)
            print(f"eval-seeds: quarry run failed with status {run.returncode}")
            return 1
        report = subprocess.run([sys.executable, scorer, args.gold, facts, "--verbose"],
                                capture_output=True, text=True, check=True).stdout
    print(report.rstrip())
    summary = report.strip().splitlines()[-1]
    found = re.search(r"required recall (\d+)/(\d+).*precision (\d+)/(\d+) = ([0-9.]+)", summary)
    if not found:
        print("eval-seeds: cannot read the scorer's summary")
        return 1
    hit, total, _, _, precision = found.groups()
    ok = int(hit) == int(total) and float(precision) >= args.min_precision
    print(f"eval-seeds: {'PASS' if ok else 'FAIL'} (all {total} required facts and precision >= {args.min_precision} needed)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
