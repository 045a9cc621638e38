"""The code blocks of docs/analytics.md, for the tests and for refreshing the doc.

docs/analytics.md is the single place where the DuckDB queries, the jq one-liner
and the pandas snippet are written. Each block is preceded by a marker comment:

    <!-- sql: NAME -->      a DuckDB statement (``load`` loads facts.ndjson)
    <!-- output: NAME -->   what DuckDB prints for the query NAME on the seeds
    <!-- sh: NAME -->       a shell one-liner run in the folder of facts.ndjson
    <!-- python: NAME -->   a Python snippet run in the folder of facts.ndjson

The tests run the blocks as written, so the doc cannot drift from them. The
output blocks show the seeds' results; refresh them after a rule change with

    python3 tests/analytics_doc.py        (QUARRY and RULES as for the tests)

(which refreshes the README's copy of the DuckDB section as well)

which needs duckdb importable (e.g. .venv/bin/python).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "analytics.md"

_BLOCK = re.compile(
    r"<!-- (?P<kind>sql|output|sh|python): (?P<name>[\w-]+) -->\n"
    r"(?P<fence>```+)[^\n]*\n(?:(?P<body>.*?)\n)??(?P=fence)[ \t]*$",
    re.S | re.M)


def blocks(kind: str, doc: Path = DOC) -> dict[str, str]:
    """The marked code blocks of one kind, by name, in document order."""
    found: dict[str, str] = {}
    for match in _BLOCK.finditer(doc.read_text(encoding="utf-8")):
        if match["kind"] == kind:
            assert match["name"] not in found, f"{doc}: two {kind} blocks named {match['name']}"
            found[match["name"]] = match["body"] or ""
    return found


def query_names(doc: Path = DOC) -> list[str]:
    return [name for name in blocks("sql", doc) if name != "load"]


def run_queries(facts_dir: Path, doc: Path = DOC) -> dict:
    """Load facts_dir/facts.ndjson as the doc does; return each query's DuckDB relation printout and rows."""
    import duckdb

    previous = os.getcwd()
    os.chdir(facts_dir)  # the doc reads 'facts.ndjson' from the current folder
    try:
        con = duckdb.connect()
        sql = blocks("sql", doc)
        con.execute(sql["load"])
        results = {}
        for name in query_names(doc):
            relation = con.sql(sql[name])
            results[name] = (str(relation).rstrip("\n"), relation.columns, relation.fetchall())
        return results
    finally:
        os.chdir(previous)


def refresh(doc: Path = DOC) -> None:
    """Rewrite every output block with what DuckDB prints for the seeds now."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from quarrytest import ROOT, Quarry, find_quarry, rules_dir

    binary = find_quarry()
    if binary is None:
        sys.exit("analytics_doc: quarry binary not found; build it or set QUARRY")
    quarry = Quarry(binary=binary, rules=rules_dir())
    with tempfile.TemporaryDirectory() as tmp:
        quarry.run("run", "seeds/", "--output", str(Path(tmp) / "facts.ndjson"), cwd=ROOT)
        results = run_queries(Path(tmp), doc)

    def replace(match: re.Match) -> str:
        if match["kind"] != "output":
            return match[0]
        printed = results[match["name"]][0]
        return f"<!-- output: {match['name']} -->\n{match['fence']}text\n{printed}\n{match['fence']}"

    text = doc.read_text(encoding="utf-8")
    doc.write_text(_BLOCK.sub(replace, text), encoding="utf-8")
    print(f"analytics_doc: refreshed {len(blocks('output', doc))} output blocks of {doc}")


if __name__ == "__main__":
    refresh()
    # The README repeats the DuckDB section; its output blocks are refreshed too.
    refresh(DOC.parent.parent / "README.md")
