"""Quarry as an `RDD.pipe` stage: the recipe of docs/scale-out.md, run on a local Spark.

Runs only with QUARRY_SPARK=1 and pyspark importable (`make test-spark` sets up a
separate virtual environment with pyspark and runs this file). It installs nothing.
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from quarrytest import parse_ndjson, seed_documents, write_jsonl

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(os.environ.get("QUARRY_SPARK") != "1", reason="Spark test: set QUARRY_SPARK=1 (make test-spark)"),
]

REUTERS_DOCS = 200


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError as error:  # asked for Spark and cannot have it: that is a failure, not a skip
        pytest.fail(f"QUARRY_SPARK=1 but pyspark is not importable ({error}); pip install pyspark", pytrace=False)
    session = (SparkSession.builder.master("local[2]").appName("quarry-test")
               .config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def corpus(shared, tmp_path_factory) -> Path:
    """The seed articles and the first Reuters articles with a text, as one JSONL file."""
    reuters = shared / "corpus" / "reuters21578.jsonl"
    assert reuters.is_file(), f"{reuters} not found (set SHARED)"
    documents = seed_documents(source="seeds")
    with reuters.open(encoding="utf-8") as lines:
        for line in lines:
            document = json.loads(line)
            if document.get("text", "").strip():
                documents.append(document)
            if len(documents) == 2 + REUTERS_DOCS:
                break
    return write_jsonl(tmp_path_factory.mktemp("spark") / "corpus.jsonl", documents)


def test_rdd_pipe_gives_the_facts_of_a_direct_run(spark, quarry, corpus):
    direct = parse_ndjson(quarry.run("run", str(corpus), "--jobs", "1").stdout)
    assert len(direct) > 40, "too few facts for a meaningful comparison"

    sc = spark.sparkContext
    lines = sc.textFile(str(corpus), minPartitions=4)
    assert lines.getNumPartitions() >= 2
    sizes = lines.glom().map(len).collect()
    assert sum(sizes) == 2 + REUTERS_DOCS and sum(1 for s in sizes if s) >= 2, sizes

    # The recipe: one quarry process per partition, JSONL in, fact NDJSON out.
    command = shlex.join([str(quarry.binary), "run", "-", "--rules", str(quarry.rules), "--jobs", "1"])
    facts_rdd = lines.pipe(command, checkCode=True)
    piped = [json.loads(line) for line in facts_rdd.collect()]

    ids = [fact["id"] for fact in piped]
    assert len(ids) == len(set(ids)), "a fact came out twice"
    assert set(ids) == {fact["id"] for fact in direct}
    by_id = {fact["id"]: fact for fact in direct}
    assert all(fact == by_id[fact["id"]] for fact in piped), "same id, different record"

    seeds = {fact["doc"] for fact in piped if (fact["meta"] or {}).get("source") == "seeds"}
    assert len(seeds) == 2
    assert any(fact["relation"] == "agreement.concluded" for fact in piped)

    # The facts as a DataFrame, as an analyst would go on.
    frame = spark.read.json(facts_rdd)
    counts = {row["relation"]: row["count"] for row in frame.groupBy("relation").count().collect()}
    expected: dict[str, int] = {}
    for fact in direct:
        expected[fact["relation"]] = expected.get(fact["relation"], 0) + 1
    assert counts == expected
