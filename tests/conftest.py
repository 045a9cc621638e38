"""Fixtures for the Python-side tests of Quarry's output (see quarrytest.py)."""

from __future__ import annotations

import pytest

from quarrytest import SEEDS, Quarry, SeedRun, find_quarry, parse_ndjson, rules_dir, seed_texts, shared_dir


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "spark: needs pyspark and a JVM; runs only when QUARRY_SPARK=1")


@pytest.fixture(scope="session")
def quarry() -> Quarry:
    binary = find_quarry()
    if binary is None:
        pytest.fail("quarry binary not found: build it (make release) or set QUARRY", pytrace=False)
    rules = rules_dir()
    assert (rules / "pack.yaml").is_file(), f"no rule pack at {rules}"
    return Quarry(binary=binary, rules=rules)


@pytest.fixture(scope="session")
def shared():
    return shared_dir()


@pytest.fixture(scope="session")
def seed_run(quarry: Quarry) -> SeedRun:
    """`quarry run seeds/` once per session: facts plus the documents' texts."""
    proc = quarry.run("run", f"{SEEDS}/")
    facts = parse_ndjson(proc.stdout)
    assert facts, "quarry run seeds/ wrote no facts"
    return SeedRun(stdout=proc.stdout, stderr=proc.stderr.decode("utf-8"), facts=facts, texts=seed_texts())
