"""The seed articles: the headline facts are there, and every offset points at its text."""

from __future__ import annotations

import pytest

from quarrytest import SEEDS, canonicals, mentions_of, parse_ndjson

DOC_FRANCE_JAPAN = f"{SEEDS}/000_e2a9e221910925eb.txt"


def facts_with(facts, relation, doc=None, parties=None, agreement=None):
    found = []
    for fact in facts:
        if fact["relation"] != relation or (doc is not None and fact["doc"] != doc):
            continue
        if parties is not None and set(canonicals(fact["args"].get("parties"))) != set(parties):
            continue
        if agreement is not None and canonicals(fact["args"].get("agreement")) != [agreement]:
            continue
        found.append(fact)
    return found


def test_run_reads_every_seed(seed_run):
    assert len(seed_run.texts) == 2
    assert {fact["doc"] for fact in seed_run.facts} == set(seed_run.texts)
    assert seed_run.stderr.startswith("quarry: 2 documents"), seed_run.stderr


def test_france_japan_negotiation(seed_run):
    found = facts_with(seed_run.facts, "agreement.negotiation", doc=DOC_FRANCE_JAPAN,
                       parties={"France", "Japan"}, agreement="Reciprocal Access Agreement")
    assert found, "no agreement.negotiation France–Japan on the Reciprocal Access Agreement"
    for fact in found:
        assert sorted(canonicals(fact["args"]["parties"])) == ["France", "Japan"]
        assert all(m["type"] == "COUNTRY" for m in fact["args"]["parties"])


@pytest.mark.parametrize("doc", ["000_e2a9e221910925eb.txt", "002_17c36018daf4f3e2.txt"])
@pytest.mark.parametrize("partner", ["Australia", "United Kingdom"])
def test_concluded_agreements_in_both_articles(seed_run, doc, partner):
    found = facts_with(seed_run.facts, "agreement.concluded", doc=f"{SEEDS}/{doc}", parties={"Japan", partner})
    assert found, f"no agreement.concluded Japan–{partner} in {doc}"


def test_record_shape(seed_run):
    keys = ["schema", "id", "key", "relation", "args", "attrs", "cameo", "doc", "sentence", "evidence", "rule", "meta"]
    for fact in seed_run.facts:
        assert list(fact) == keys, f"field order of {fact['id']}"
        assert fact["schema"] == "quarry.fact/1"
        assert fact["meta"] is None  # plain files carry no metadata
    ids = [fact["id"] for fact in seed_run.facts]
    assert len(ids) == len(set(ids)), "fact ids are not unique"


def test_argument_offsets_give_back_their_text(seed_run):
    checked = 0
    for fact in seed_run.facts:
        text = seed_run.texts[fact["doc"]]
        for role, mention in mentions_of(fact):
            assert 0 <= mention["start"] < mention["end"] <= len(text), (fact["id"], role)
            assert text[mention["start"]:mention["end"]] == mention["text"], (fact["id"], role, mention)
            checked += 1
    assert checked >= 2 * len(seed_run.facts) - 5  # nearly every fact binds two or more mentions


def test_arguments_lie_inside_their_sentence(seed_run):
    for fact in seed_run.facts:
        sentence = fact["sentence"]
        for role, mention in mentions_of(fact):
            assert sentence["start"] <= mention["start"] and mention["end"] <= sentence["end"], (fact["id"], role)


def test_evidence_is_the_sentence(seed_run):
    for fact in seed_run.facts:
        text = seed_run.texts[fact["doc"]]
        sentence = fact["sentence"]
        assert text[sentence["start"]:sentence["end"]] == fact["evidence"], fact["id"]


def test_facts_are_in_document_then_sentence_order(seed_run):
    docs = [fact["doc"] for fact in seed_run.facts]
    assert docs == sorted(docs)
    positions = [(fact["doc"], fact["sentence"]["index"]) for fact in seed_run.facts]
    assert positions == sorted(positions)


@pytest.mark.parametrize("jobs", ["1", "2", "4"])
def test_output_is_byte_identical_whatever_the_jobs(quarry, seed_run, jobs):
    proc = quarry.run("run", f"{SEEDS}/", "--jobs", jobs)
    assert proc.stdout == seed_run.stdout


def test_output_file_equals_stdout(quarry, seed_run, tmp_path):
    out = tmp_path / "facts.ndjson"
    proc = quarry.run("run", f"{SEEDS}/", "--output", str(out))
    assert proc.stdout == b""
    assert out.read_bytes() == seed_run.stdout
    assert parse_ndjson(out.read_bytes()) == seed_run.facts
