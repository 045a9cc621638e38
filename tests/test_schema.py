"""Every record validates against the JSON Schema that `quarry schema` prints."""

from __future__ import annotations

import copy

import pytest
from jsonschema import Draft202012Validator

from quarrytest import SEEDS, parse_ndjson, seed_documents, write_jsonl


def validator(quarry, kind: str) -> Draft202012Validator:
    schema = quarry.schema(kind)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def assert_valid(validator: Draft202012Validator, records: list[dict]) -> None:
    for number, record in enumerate(records, 1):
        errors = sorted(validator.iter_errors(record), key=lambda e: list(e.path))
        assert not errors, f"record {number}: " + "; ".join(
            f"{'/'.join(map(str, e.path)) or '<root>'}: {e.message}" for e in errors)


@pytest.fixture(scope="module")
def fact_validator(quarry):
    return validator(quarry, "fact")


@pytest.fixture(scope="module")
def mention_validator(quarry):
    return validator(quarry, "mention")


def test_schema_ids(quarry):
    assert quarry.schema("fact")["$id"] == "quarry.fact/1"
    assert quarry.schema("mention")["$id"] == "quarry.mention/1"


def test_every_fact_is_valid(seed_run, fact_validator):
    assert_valid(fact_validator, seed_run.facts)


def test_schema_rejects_a_broken_fact(seed_run, fact_validator):
    """The schema is strict enough to catch a missing key, a stray key and a bad offset."""
    fact = seed_run.facts[0]
    missing = {k: v for k, v in fact.items() if k != "evidence"}
    stray = {**fact, "extra": 1}
    negative = copy.deepcopy(fact)
    negative["sentence"]["start"] = -1
    bad_id = {**fact, "id": "XYZ"}
    for broken in (missing, stray, negative, bad_id):
        assert not fact_validator.is_valid(broken)


def test_every_mention_is_valid(quarry, seed_run, mention_validator, tmp_path):
    path = tmp_path / "mentions.ndjson"
    proc = quarry.run("run", f"{SEEDS}/", "--mentions", str(path))
    assert proc.stdout == seed_run.stdout  # asking for mentions changes no fact
    mentions = parse_ndjson(path.read_bytes())
    assert len(mentions) >= 50
    assert_valid(mention_validator, mentions)
    for mention in mentions:
        assert mention["schema"] == "quarry.mention/1"
        text = seed_run.texts[mention["doc"]]
        assert text[mention["start"]:mention["end"]] == mention["text"]
    # Every argument of every fact is one of the mentions written.
    spans = {(m["doc"], m["start"], m["end"]) for m in mentions}
    for fact in seed_run.facts:
        for argument in fact["args"].values():
            for m in argument if isinstance(argument, list) else [argument] if argument else []:
                assert (fact["doc"], m["start"], m["end"]) in spans, (fact["id"], m)


def test_jsonl_extra_fields_travel_under_meta(quarry, fact_validator, tmp_path):
    extra = {"date": "2024-05-02", "url": "https://example.org/a", "title": "Seed",
             "tags": ["asia", "defence"], "source": {"name": "wire", "rank": 2, "paywall": None},
             "words": 812}
    path = write_jsonl(tmp_path / "docs.jsonl", seed_documents(**extra))
    facts = parse_ndjson(quarry.run("run", str(path)).stdout)
    assert facts
    assert_valid(fact_validator, facts)
    for fact in facts:
        assert fact["meta"] == extra, fact["id"]
