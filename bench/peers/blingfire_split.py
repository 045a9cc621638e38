#!/usr/bin/env python3
"""Peer: BlingFire sentence splitting (C++ finite-state machine, ctypes binding).

Uses blingfire.text_to_sentences, the library's fast path (one C call per
document, sentences joined by newlines). text_to_sentences_and_offsets would
give spans like Quarry does but is ~4x slower in Python, so the plain call is
the generous comparison.
"""
from _common import Clock, arg_parser, emit, limit_mb, load_texts


def main():
    args = arg_parser(__doc__.splitlines()[0], default_mb=0).parse_args()
    clock = Clock()
    import blingfire
    texts, nbytes = load_texts(args.corpus, limit_mb(args))
    load = clock.lap()
    sentences = 0
    split = blingfire.text_to_sentences
    for text in texts:
        if text.strip():
            sentences += split(text).count("\n") + 1
    secs = clock.lap()
    emit("blingfire", nbytes, secs, load, docs=len(texts), sentences=sentences,
         version=getattr(blingfire, "__version__", None))


if __name__ == "__main__":
    main()
