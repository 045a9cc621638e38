"""`quarry run -`: JSONL documents on stdin, facts streamed out in input order."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from quarrytest import parse_ndjson, seed_documents, seed_texts, write_jsonl

NEGOTIATION = ("France and Japan have agreed to initiate formal discussions on a reciprocal "
               "troop access agreement (RAA).")
CONCLUDED = "Japan has already secured Reciprocal Access Agreements (RAAs) with Australia and Britain."


def assert_quiet(stderr: bytes) -> None:
    text = stderr.decode("utf-8", "replace").lower()
    for word in ("error", "broken pipe", "fatal", "warning", "crash", "signal"):
        assert word not in text, f"stderr mentions {word!r}: {text!r}"


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    """Ids deliberately out of sorted order, one document with no fact, extra fields."""
    seeds = list(seed_texts().values())
    docs = [
        {"id": "zulu", "text": seeds[1]},
        {"id": "alpha", "text": NEGOTIATION},
        {"id": "quiet", "text": "Nothing happened on Tuesday."},
        {"id": "mike", "text": seeds[0]},
        {"id": "bravo", "text": CONCLUDED},
    ]
    for number, doc in enumerate(docs):
        doc["date"] = f"2024-06-{number + 10}"
        doc["url"] = f"https://news.example/{doc['id']}"
    return docs


@pytest.fixture(scope="module")
def jsonl(documents, tmp_path_factory) -> Path:
    return write_jsonl(tmp_path_factory.mktemp("stream") / "docs.jsonl", documents)


@pytest.fixture(scope="module")
def stdin_run(quarry, jsonl):
    with jsonl.open("rb") as stdin:
        return quarry.run("run", "-", "--jobs", "4", stdin=stdin)


def test_facts_follow_input_order(stdin_run, documents):
    facts = parse_ndjson(stdin_run.stdout)
    order = [fact["doc"] for fact in facts]
    with_facts = [doc["id"] for doc in documents if doc["id"] in order]
    assert with_facts == ["zulu", "alpha", "mike", "bravo"]
    # Each document's facts come together, in input order.
    assert [doc for i, doc in enumerate(order) if i == 0 or order[i - 1] != doc] == with_facts


def test_short_documents_give_their_facts(stdin_run):
    facts = parse_ndjson(stdin_run.stdout)
    alpha = [f for f in facts if f["doc"] == "alpha"]
    assert [f["relation"] for f in alpha] == ["agreement.negotiation"]
    assert [m["canonical"] for m in alpha[0]["args"]["parties"]] == ["France", "Japan"]
    bravo = {tuple(sorted(m["canonical"] for m in f["args"]["parties"]))
             for f in facts if f["doc"] == "bravo" and f["relation"] == "agreement.concluded"}
    assert bravo == {("Australia", "Japan"), ("Japan", "United Kingdom")}
    assert not [f for f in facts if f["doc"] == "quiet"]


def test_extra_fields_come_under_meta(stdin_run, documents):
    by_id = {doc["id"]: doc for doc in documents}
    facts = parse_ndjson(stdin_run.stdout)
    assert facts
    for fact in facts:
        source = by_id[fact["doc"]]
        assert fact["meta"] == {"date": source["date"], "url": source["url"]}


def test_offsets_refer_to_the_jsonl_text(stdin_run, documents):
    by_id = {doc["id"]: doc["text"] for doc in documents}
    for fact in parse_ndjson(stdin_run.stdout):
        text = by_id[fact["doc"]]
        assert text[fact["sentence"]["start"]:fact["sentence"]["end"]] == fact["evidence"]


def test_stdin_equals_the_same_file(quarry, stdin_run, jsonl):
    from_file = quarry.run("run", str(jsonl), "--jobs", "4")
    assert from_file.stdout == stdin_run.stdout
    with jsonl.open("rb") as stdin:
        one_job = quarry.run("run", "-", "--jobs", "1", stdin=stdin)
    assert one_job.stdout == stdin_run.stdout


def test_jsonl_seeds_give_the_facts_of_the_files(quarry, seed_run, tmp_path):
    """A document's facts do not depend on whether it came as a file or a JSONL line."""
    path = write_jsonl(tmp_path / "seeds.jsonl", seed_documents())
    facts = parse_ndjson(quarry.run("run", str(path)).stdout)

    def strip(fact):
        return {k: v for k, v in fact.items() if k not in ("id", "meta")}

    assert [strip(f) for f in facts] == [strip(f) for f in seed_run.facts]
    assert [f["key"] for f in facts] == [f["key"] for f in seed_run.facts]


@pytest.fixture(scope="module")
def big_jsonl(tmp_path_factory) -> Path:
    """The seeds repeated 2,000 times with unique ids (about 10 MB, 70,000 facts)."""
    path = tmp_path_factory.mktemp("big") / "big.jsonl"
    seeds = list(seed_texts().values())
    with path.open("w", encoding="utf-8") as out:
        for copy in range(2000):
            for number, text in enumerate(seeds):
                out.write(json.dumps({"id": f"seed{number}-{copy}", "text": text}) + "\n")
    return path


def test_closing_stdout_early_in_a_shell_pipeline(quarry, big_jsonl, tmp_path):
    """`quarry run - < big.jsonl | head -1`: quarry stops quietly (SIGPIPE at its default)."""
    err = tmp_path / "stderr"
    script = '"$0" run - --rules "$1" < "$2" 2> "$3" | head -1; echo "status=${PIPESTATUS[0]}"'
    proc = subprocess.run(["bash", "-c", script, str(quarry.binary), str(quarry.rules), str(big_jsonl), str(err)],
                          capture_output=True, timeout=600)
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 2, lines
    assert json.loads(lines[0])["doc"] == "seed0-0"
    assert lines[1] == "status=0"
    assert_quiet(err.read_bytes())


def test_closing_stdout_early_with_sigpipe_ignored(quarry, big_jsonl):
    """Under a parent that ignores SIGPIPE (Python, a JVM) quarry sees EPIPE: still quiet, exit 0."""
    with big_jsonl.open("rb") as stdin:
        proc = subprocess.Popen(quarry.argv("run", "-"), stdin=stdin, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, restore_signals=False)
        first = proc.stdout.readline()
        proc.stdout.close()
        stderr = proc.stderr.read()
        status = proc.wait(timeout=600)
    assert json.loads(first)["doc"] == "seed0-0"
    assert status == 0, f"exit {status} ({signal.Signals(-status).name if status < 0 else ''})"
    assert_quiet(stderr)


def bad_jsonl(documents) -> bytes:
    lines = [json.dumps(documents[1]), "this is not json", json.dumps(documents[4]),
             json.dumps({"id": "notext", "title": "no text field"}), json.dumps(documents[3])]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_bad_lines_on_stdin_are_named_and_skipped(quarry, documents):
    proc = quarry.run("run", "-", input=bad_jsonl(documents), expect_exit=1)
    stderr = proc.stderr.decode("utf-8")
    assert "-:2:" in stderr and "not JSON" in stderr, stderr
    assert "-:4:" in stderr and "text" in stderr, stderr
    assert "-:1:" not in stderr and "-:3:" not in stderr and "-:5:" not in stderr
    docs = [fact["doc"] for fact in parse_ndjson(proc.stdout)]
    assert list(dict.fromkeys(docs)) == ["alpha", "bravo", "mike"]  # the rest, in order


def test_bad_lines_in_a_file_name_the_file(quarry, documents, tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(bad_jsonl(documents))
    proc = quarry.run("run", str(path), expect_exit=1)
    stderr = proc.stderr.decode("utf-8")
    assert f"{path}:2:" in stderr, stderr
    assert f"{path}:4:" in stderr, stderr
    with path.open("rb") as stdin:
        from_stdin = quarry.run("run", "-", stdin=stdin, expect_exit=1)
    assert from_stdin.stdout == proc.stdout


def test_reuters_sample_is_the_same_whatever_the_jobs(quarry, shared, tmp_path):
    corpus = shared / "corpus" / "reuters21578.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} not found (set SHARED)")
    sample = tmp_path / "reuters.jsonl"
    with corpus.open(encoding="utf-8") as src, sample.open("w", encoding="utf-8") as out:
        for _, line in zip(range(300), src):
            out.write(line)
    one = quarry.run("run", str(sample), "--jobs", "1")
    four = quarry.run("run", str(sample), "--jobs", "4")
    assert one.stdout == four.stdout
    facts = parse_ndjson(one.stdout)
    assert facts, "no fact in 300 Reuters articles"
    assert all(isinstance(f["meta"], dict) and "date" in f["meta"] for f in facts)
    assert "text" not in facts[0]["meta"] and "id" not in facts[0]["meta"]
