#!/usr/bin/env python3
"""Peer: pySBD sentence boundary detection (pure Python port of Pragmatic Segmenter).

Slow, so by default only the first 2 MB of text (whole documents) are split.
"""
from _common import Clock, arg_parser, emit, limit_mb, load_texts


def main():
    args = arg_parser(__doc__.splitlines()[0], default_mb=2).parse_args()
    clock = Clock()
    import pysbd
    seg = pysbd.Segmenter(language="en", clean=False, char_span=False)
    texts, nbytes = load_texts(args.corpus, limit_mb(args))
    load = clock.lap()
    sentences = 0
    for text in texts:
        if text:
            sentences += len(seg.segment(text))
    secs = clock.lap()
    emit("pysbd", nbytes, secs, load, docs=len(texts), sentences=sentences)


if __name__ == "__main__":
    main()
