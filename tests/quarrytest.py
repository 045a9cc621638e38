"""Helpers for the Python-side tests: run the binary, parse NDJSON, build inputs.

Environment (the Makefile passes all three):
  QUARRY  path of the binary (default: .build-py/release/quarry, then .build/release/quarry)
  RULES   the rule pack, relative to the repository root (default: rules)
  SHARED  the shared folder with the corpora (default: ../shared)
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = "seeds"


def resolve(path: str) -> Path:
    """A path from the environment, relative to the repository root unless absolute."""
    p = Path(path)
    return p if p.is_absolute() else ROOT / p


def find_quarry() -> Path | None:
    env = os.environ.get("QUARRY")
    candidates = [resolve(env)] if env else [ROOT / ".build-py/release/quarry", ROOT / ".build/release/quarry"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def rules_dir() -> Path:
    return resolve(os.environ.get("RULES", "rules"))


def shared_dir() -> Path:
    return resolve(os.environ.get("SHARED", "../shared"))


@dataclass
class Quarry:
    """The binary and rule pack under test; commands run from the repository root."""

    binary: Path
    rules: Path

    def argv(self, *args: str) -> list[str]:
        argv = [str(self.binary), *args]
        if args and args[0] == "run":
            argv += ["--rules", str(self.rules)]
        return argv

    def run(self, *args: str, input: bytes | None = None, stdin=None, expect_exit: int | None = 0,
            cwd: Path = ROOT) -> subprocess.CompletedProcess:
        argv = self.argv(*args)
        proc = subprocess.run(argv, input=input, stdin=stdin, capture_output=True, cwd=cwd, timeout=600)
        if expect_exit is not None:
            assert proc.returncode == expect_exit, (
                f"{' '.join(argv)} exited {proc.returncode}, expected {expect_exit}\n"
                f"stderr:\n{proc.stderr.decode('utf-8', 'replace')}")
        return proc

    def schema(self, kind: str) -> dict:
        return json.loads(self.run("schema", kind).stdout)


def parse_ndjson(data: bytes) -> list[dict]:
    """Parse NDJSON strictly: one JSON object per line, and a final newline."""
    text = data.decode("utf-8")
    if not text:
        return []
    assert text.endswith("\n"), "NDJSON output must end with a newline"
    records = []
    for number, line in enumerate(text[:-1].split("\n"), 1):
        record = json.loads(line)
        assert isinstance(record, dict), f"line {number} is not a JSON object: {line[:80]}"
        records.append(record)
    return records


@dataclass
class SeedRun:
    """`quarry run seeds/`: raw stdout, stderr, the parsed facts and each document's text."""

    stdout: bytes
    stderr: str
    facts: list[dict]
    texts: dict[str, str]


def seed_texts() -> dict[str, str]:
    """Each seed article's text keyed by the `doc` that `run seeds/` reports."""
    return {f"{SEEDS}/{p.name}": p.read_text(encoding="utf-8")
            for p in sorted((ROOT / SEEDS).iterdir()) if p.suffix in (".txt", ".md")}


def seed_documents(**extra) -> list[dict]:
    """The seed articles as JSONL documents whose id is the `doc` of `run seeds/`."""
    return [{"id": doc, "text": text, **extra} for doc, text in seed_texts().items()]


def write_jsonl(path: Path, documents: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for document in documents:
            out.write(json.dumps(document, ensure_ascii=False) + "\n")
    return path


def canonicals(argument) -> list[str]:
    """Canonical names of an argument: one mention, a list of them, or null."""
    if argument is None:
        return []
    if isinstance(argument, list):
        return [m["canonical"] for m in argument]
    return [argument["canonical"]]


def mentions_of(fact: dict):
    """Every (role, mention) pair in a fact's arguments."""
    for role, argument in fact["args"].items():
        if isinstance(argument, list):
            for mention in argument:
                yield role, mention
        elif argument is not None:
            yield role, argument
