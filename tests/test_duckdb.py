"""The analytics queries of docs/analytics.md, run on the seeds' facts as written there."""

from __future__ import annotations

import os
import subprocess
from collections import Counter
from itertools import combinations
from pathlib import Path

import duckdb
import pytest

import analytics_doc
from quarrytest import SEEDS, canonicals, mentions_of, parse_ndjson, seed_documents, write_jsonl

PERSON = "Fumio Kishida"


@pytest.fixture(scope="module")
def facts_dir(quarry, seed_run, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("analytics")
    quarry.run("run", f"{SEEDS}/", "--output", str(folder / "facts.ndjson"))
    assert (folder / "facts.ndjson").read_bytes() == seed_run.stdout
    return folder


@pytest.fixture(scope="module")
def results(facts_dir):
    return analytics_doc.run_queries(facts_dir)


def test_doc_has_the_three_queries_and_their_outputs():
    sql = analytics_doc.blocks("sql")
    assert list(sql) == ["load", "facts_per_relation", "agreement_pairs", "person_facts"]
    assert "read_json_auto('facts.ndjson'" in sql["load"]
    outputs = analytics_doc.blocks("output")
    assert set(outputs) == set(sql) - {"load"}


def test_doc_outputs_show_the_queries_columns(results):
    """An output block belongs to its query: same columns (the rows follow the rules)."""
    outputs = analytics_doc.blocks("output")
    for name, (_, columns, _) in results.items():
        lines = outputs[name].splitlines()
        assert lines, f"output block {name} is empty: run tests/analytics_doc.py"
        header = [cell.strip() for cell in lines[1].strip("│").split("│")]
        assert header == columns, name


def test_load_reads_every_fact(facts_dir, seed_run):
    con = duckdb.connect()
    os.chdir(facts_dir)
    con.execute(analytics_doc.blocks("sql")["load"])
    assert con.execute("SELECT count(*) FROM facts").fetchall()[0][0] == len(seed_run.facts)
    ids = {row[0] for row in con.sql("SELECT id FROM facts").fetchall()}
    assert ids == {fact["id"] for fact in seed_run.facts}


def test_facts_per_relation(results, seed_run):
    _, columns, rows = results["facts_per_relation"]
    assert columns == ["relation", "facts"]
    counts = Counter(fact["relation"] for fact in seed_run.facts)
    expected = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    assert rows == expected
    assert dict(rows)["agreement.concluded"] >= 4  # Australia and Britain, in both articles
    assert dict(rows)["agreement.negotiation"] >= 1


def test_agreement_pairs(results, seed_run):
    _, columns, rows = results["agreement_pairs"]
    assert columns == ["country_a", "country_b", "facts"]
    pairs: Counter = Counter()
    for fact in seed_run.facts:
        if fact["relation"].startswith("agreement."):
            countries = {m["canonical"] for m in fact["args"]["parties"] if m["type"] == "COUNTRY"}
            pairs.update(combinations(sorted(countries), 2))
    expected = sorted(((a, b, n) for (a, b), n in pairs.items()), key=lambda r: (-r[2], r[0], r[1]))[:10]
    assert rows == expected
    assert rows[0][:2] == ("France", "Japan")  # the story of both articles
    found = {(a, b): n for a, b, n in rows}
    assert found[("Australia", "Japan")] >= 2
    assert found[("Japan", "United Kingdom")] >= 2


def test_person_facts(results, seed_run):
    _, columns, rows = results["person_facts"]
    assert columns == ["relation", "role", "doc", "sentence", "evidence"]
    # One row per fact and role (a fact naming him twice in a role counts once, as
    # json_each does); two facts of one sentence give two equal rows.
    expected = sorted(
        (row for fact in seed_run.facts
         for row in {(fact["relation"], role, fact["doc"], fact["sentence"]["index"], fact["evidence"])
                     for role, mention in mentions_of(fact) if mention["canonical"] == PERSON}),
        key=lambda r: (r[2], r[3], r[0], r[1]))
    assert rows == expected
    relations = {(relation, role) for relation, role, *_ in rows}
    assert ("meeting", "participants") in relations
    assert ("visit", "visitor") in relations
    assert ("role", "person") in relations
    assert {doc for _, _, doc, _, _ in rows} == set(seed_run.texts)  # he is in both articles
    for _, _, doc, _, evidence in rows:
        # His name, or a pronoun that resolution carried from the sentence before.
        assert "Kishida" in evidence or evidence.split()[0] in {"He", "His", "She", "Her"}
        assert evidence in seed_run.texts[doc]


def test_meta_fields_are_columns(quarry, tmp_path):
    """JSONL metadata is queryable as meta.<field>."""
    docs = seed_documents()
    for number, doc in enumerate(docs):
        doc["date"] = f"2024-05-0{number + 1}"
        doc["url"] = f"https://example.org/{number}"
    path = write_jsonl(tmp_path / "docs.jsonl", docs)
    out = tmp_path / "facts.ndjson"
    quarry.run("run", str(path), "--output", str(out))
    expected = Counter((f["doc"], f["meta"]["date"]) for f in parse_ndjson(out.read_bytes()))
    rows = duckdb.sql(
        f"SELECT doc, meta.date, count(*) FROM read_json_auto('{out}') GROUP BY ALL ORDER BY ALL").fetchall()
    # DuckDB recognises ISO dates inside meta and types them as DATE.
    assert [(doc, str(date), n) for doc, date, n in rows] == sorted((d, t, n) for (d, t), n in expected.items())
    assert [str(date) for _, date, _ in rows] == ["2024-05-01", "2024-05-02"]


def test_jq_one_liner(facts_dir, seed_run):
    if subprocess.run(["sh", "-c", "command -v jq"], capture_output=True).returncode != 0:
        pytest.skip("jq is not installed")
    command = analytics_doc.blocks("sh")["jq_agreements"]
    proc = subprocess.run(["sh", "-c", command], cwd=facts_dir, capture_output=True, check=True)

    def tsv(value: str) -> str:
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")

    expected = [
        "\t".join([f["relation"], tsv("+".join(canonicals(f["args"]["parties"]))), tsv(f["evidence"])])
        for f in seed_run.facts if f["relation"].startswith("agreement.")]
    assert proc.stdout.decode("utf-8").splitlines() == expected


def test_pandas_snippet(facts_dir, seed_run, capsys):
    pytest.importorskip("pandas")
    code = analytics_doc.blocks("python")["pandas"]
    scope: dict = {}
    os.chdir(facts_dir)
    exec(compile(code, "docs/analytics.md[pandas]", "exec"), scope)
    facts, args = scope["facts"], scope["args"]
    assert list(facts["id"]) == [f["id"] for f in seed_run.facts]
    assert all(isinstance(i, str) for i in facts["id"])
    expected_args = [(f["id"], role, m["canonical"]) for f in seed_run.facts for role, m in mentions_of(f)]
    assert list(zip(args["id"], args["role"], args["canonical"])) == expected_args
    printed = capsys.readouterr().out
    assert "agreement.negotiation" in printed and "participants" in printed


@pytest.fixture(autouse=True)
def _keep_cwd():
    """Tests that chdir (as an analyst's session would) get the old folder back."""
    previous = os.getcwd()
    yield
    os.chdir(previous)


def test_readme_shows_the_same_queries_as_the_analytics_doc():
    """The README repeats the DuckDB queries of docs/analytics.md: they must not drift."""
    readme = analytics_doc.DOC.parent.parent / "README.md"
    assert analytics_doc.blocks("sql", readme) == analytics_doc.blocks("sql")
    assert analytics_doc.blocks("output", readme) == {
        name: body for name, body in analytics_doc.blocks("output").items()
        if name in analytics_doc.blocks("output", readme)
    }
