"""Shared helpers for the peer programs: read the corpus, cut a prefix, report.

Every peer prints exactly one JSON line on stdout:
    {"peer": NAME, "bytes": N, "seconds": S, "load_seconds": L, "docs": D, ...}
`bytes` is the UTF-8 size of the "text" fields it processed, `seconds` the
processing time only (reading the corpus and building the pipeline are
`load_seconds`).  MB/s = bytes / seconds / 1e6.
"""

import argparse
import json
import os
import sys
import time


def arg_parser(description, default_mb):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("corpus", help="JSONL corpus, one {\"id\", \"text\", ...} per line")
    p.add_argument(
        "--mb",
        type=float,
        default=None,
        help="process only the first MB megabytes of text (whole documents); "
        "0 = the full corpus. Default: env PEER_MB, else %s" % (default_mb or "full corpus"),
    )
    p.set_defaults(default_mb=default_mb)
    return p


def limit_mb(args):
    """The prefix size in bytes (None = everything): --mb, then $PEER_MB, then the peer's default."""
    mb = args.mb
    if mb is None and os.environ.get("PEER_MB"):
        mb = float(os.environ["PEER_MB"])
    if mb is None:
        mb = args.default_mb
    if not mb or mb <= 0:
        return None
    return int(mb * 1_000_000)


def load_texts(path, limit_bytes=None):
    """Texts of the corpus in file order; stops after the document that reaches limit_bytes."""
    texts, total = [], 0
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                obj = json.loads(line)
            except ValueError:
                continue
            text = obj.get("text")
            if not isinstance(text, str):
                continue
            texts.append(text)
            total += len(text.encode("utf-8"))
            if limit_bytes is not None and total >= limit_bytes:
                break
    return texts, total


def emit(peer, nbytes, seconds, load_seconds, **extra):
    rec = {"peer": peer, "bytes": nbytes, "seconds": round(seconds, 6),
           "load_seconds": round(load_seconds, 6)}
    rec.update(extra)
    sys.stdout.write(json.dumps(rec) + "\n")
    sys.stdout.flush()


class Clock:
    def __init__(self):
        self.t0 = time.perf_counter()

    def lap(self):
        t = time.perf_counter()
        d, self.t0 = t - self.t0, t
        return d
