#!/usr/bin/env python3
"""Peer: syntok sentence segmentation (pure Python, regex based; segtok v2)."""
from _common import Clock, arg_parser, emit, limit_mb, load_texts


def main():
    args = arg_parser(__doc__.splitlines()[0], default_mb=0).parse_args()
    clock = Clock()
    import syntok.segmenter as segmenter
    texts, nbytes = load_texts(args.corpus, limit_mb(args))
    load = clock.lap()
    sentences = 0
    for text in texts:
        for paragraph in segmenter.analyze(text):
            for _sentence in paragraph:
                sentences += 1
    secs = clock.lap()
    emit("syntok", nbytes, secs, load, docs=len(texts), sentences=sentences)


if __name__ == "__main__":
    main()
