#!/usr/bin/env python3
"""Peer: a rule-based spaCy pipeline doing the same kind of work as `quarry run`.

    spacy_pipeline.py CORPUS [--rules DIR] [--gazetteer FILE.tsv ...] [--ruler-only] [--mb MB]

Pipeline: spacy.blank("en") (tokenizer) + sentencizer + entity_ruler with
  * phrase patterns for every gazetteer name (RULES/gazetteers/*.tsv, or the
    files given with --gazetteer), case-sensitive (ORTH) like Quarry's default;
  * ~20 token patterns (title + capitalised words as PERSON, "... Corp" as ORG,
    money, percentages, dates, quantities);
then a Matcher with a dozen relation patterns in the spirit of the news
relations (agreement, meeting, visit, support, dispute, role, membership...).
Facts = Matcher matches. No statistical model is loaded.

--ruler-only: tokenizer + entity_ruler with the gazetteer phrase patterns only
(no sentencizer, no token patterns, no Matcher): the peer of Quarry's
gazetteer stage. Reported as "spacy-entityruler-<N>" (N = names, e.g. 5k).

By default only the first 5 MB of text are processed (env PEER_MB or --mb).
Texts go through nlp.pipe in one process (n_process=1), like `quarry run --jobs 1`.
"""

import glob
import os
import sys

from _common import Clock, arg_parser, emit, limit_mb, load_texts

COUNTRY = ["COUNTRY", "GPE", "NATION"]
PLACE = COUNTRY + ["CITY", "PLACE", "REGION", "LOCATION", "LOC", "STATE", "PROVINCE",
                   "CAPITAL", "TERRITORY"]
PERSON = ["PERSON", "PER"]
ORG = ["ORG", "ORGANIZATION", "ORGANISATION", "COMPANY", "ORGANIZATION_GOV"]
NATIONALITY = ["NATIONALITY", "NORP"]
ACTOR = PERSON + ORG + COUNTRY + NATIONALITY

TITLES = ["mr", "mrs", "ms", "dr", "president", "chairman", "minister", "secretary",
          "governor", "senator", "chancellor", "king", "queen", "prince", "sheikh",
          "general", "ambassador", "premier", "director", "spokesman", "envoy"]
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december", "jan", "feb", "mar", "apr",
          "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"]
CO_SUFFIX = ["corp", "inc", "co", "ltd", "plc", "group", "ag", "sa", "nv", "bancorp",
             "holdings", "industries", "international"]


def token_patterns():
    cap = {"IS_TITLE": True}
    caps = {"IS_TITLE": True, "OP": "+"}
    dot = {"ORTH": ".", "OP": "?"}
    pats = [
        # PERSON: honorific / office + capitalised words
        {"label": "PERSON", "pattern": [{"LOWER": {"IN": ["mr", "mrs", "ms", "dr"]}}, dot, caps]},
        {"label": "PERSON", "pattern": [{"LOWER": {"IN": TITLES}}, caps]},
        {"label": "PERSON", "pattern": [{"LOWER": "prime"}, {"LOWER": "minister"}, caps]},
        {"label": "PERSON", "pattern": [{"LOWER": {"IN": ["finance", "foreign", "trade", "oil", "defence", "defense"]}},
                                        {"LOWER": {"IN": ["minister", "secretary"]}}, caps]},
        {"label": "PERSON", "pattern": [cap, {"IS_UPPER": True, "LENGTH": 1}, {"ORTH": "."}, cap]},
        # ORG
        {"label": "ORG", "pattern": [caps, {"LOWER": {"IN": CO_SUFFIX}}, dot]},
        {"label": "ORG", "pattern": [{"ORTH": {"IN": ["Bank", "Ministry", "Department", "University", "Bureau"]}},
                                     {"LOWER": "of"}, caps]},
        {"label": "ORG", "pattern": [caps, {"ORTH": {"IN": ["Party", "Bank", "Exchange", "Commission", "Council", "Agency"]}}]},
        {"label": "ORG", "pattern": [{"IS_UPPER": True, "LENGTH": {">=": 3}, "IS_ALPHA": True},
                                     {"LOWER": {"IN": ["corp", "inc", "co", "ltd"]}}]},
        # money, percentages, quantities
        {"label": "MONEY", "pattern": [{"ORTH": "$"}, {"LIKE_NUM": True}, {"LOWER": {"IN": ["mln", "billion", "million", "bln"]}, "OP": "?"}]},
        {"label": "MONEY", "pattern": [{"LIKE_NUM": True}, {"LOWER": {"IN": ["mln", "billion", "bln"]}, "OP": "?"},
                                       {"LOWER": {"IN": ["dlrs", "dollars", "yen", "marks", "francs", "stg", "pounds"]}}]},
        {"label": "PERCENT", "pattern": [{"LIKE_NUM": True}, {"LOWER": {"IN": ["pct", "percent"]}}]},
        {"label": "PERCENT", "pattern": [{"LIKE_NUM": True}, {"ORTH": "%"}]},
        {"label": "QUANTITY", "pattern": [{"LIKE_NUM": True}, {"LOWER": {"IN": ["mln", "billion"]}, "OP": "?"},
                                          {"LOWER": {"IN": ["tonnes", "tons", "bags", "barrels", "bpd", "bushels", "ounces", "shares"]}}]},
        # dates
        {"label": "DATE", "pattern": [{"LOWER": {"IN": MONTHS}}, dot, {"IS_DIGIT": True}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": MONTHS}}, {"SHAPE": "dddd"}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]}}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["first", "second", "third", "fourth"]}}, {"LOWER": "quarter"}]},
        {"label": "DATE", "pattern": [{"LOWER": {"IN": ["last", "next", "this"]}}, {"LOWER": {"IN": ["year", "month", "week"]}}]},
        # nationality adjectives standing for a country (resolution stand-in)
        {"label": "NORP", "pattern": [{"ORTH": {"IN": ["American", "Japanese", "British", "French", "German", "Soviet",
                                                       "Chinese", "Brazilian", "Canadian", "Italian", "Saudi", "Iranian"]}}]},
    ]
    return pats


def relation_patterns():
    def ent(types, op="+"):
        return {"ENT_TYPE": {"IN": types}, "OP": op}

    w = lambda *words: {"LOWER": {"IN": list(words)}}
    opt = lambda *words: {"LOWER": {"IN": list(words)}, "OP": "?"}
    return {
        "agreement.negotiation": [
            [ent(COUNTRY), w("and"), ent(COUNTRY), opt("have", "has"), w("agreed"), w("to")],
            [ent(ACTOR), opt("have", "has", "will"), w("agreed", "began", "started", "resumed"),
             opt("formal"), w("talks", "negotiations", "discussions")],
        ],
        "agreement.concluded": [
            [ent(ACTOR), opt("have", "has"), w("signed", "concluded", "reached"), opt("a", "an", "the"),
             {"OP": "?"}, w("agreement", "accord", "deal", "pact", "treaty")],
            [ent(ACTOR), opt("have", "has"), w("signed", "concluded", "ratified", "joined"), opt("a", "an", "the"),
             ent(["AGREEMENT"])],
        ],
        "meeting": [
            [w("meeting", "talks", "summit"), w("between", "with"), ent(PERSON + COUNTRY), w("and"), ent(PERSON + COUNTRY)],
            [ent(PERSON), w("met", "meets", "meet"), opt("with"), ent(PERSON + ORG)],
        ],
        "visit": [
            [ent(PERSON + ORG), opt("will", "to"), w("visit", "visited", "visits", "arrived"), opt("in"), ent(PLACE)],
            [w("visit"), w("to"), ent(PLACE)],
        ],
        "support": [
            [ent(ACTOR), w("supports", "supported", "backed", "backs", "endorsed", "welcomed"), ent(ACTOR)],
        ],
        "dispute": [
            [w("dispute", "row", "conflict", "war"), w("between", "with"), ent(ACTOR), opt("and"), ent(ACTOR, "*")],
        ],
        "role": [
            [ent(PLACE + ORG + NATIONALITY), {"LOWER": {"IN": TITLES}}, ent(PERSON)],
            [ent(PLACE + ORG + NATIONALITY, "?"), ent(["TITLE"]), ent(PERSON)],
        ],
        "membership": [
            [ent(COUNTRY + ORG), w("joined", "join", "rejoined"), ent(ORG)],
            [ent(COUNTRY + ORG), w("member"), w("of"), opt("the"), ent(ORG)],
        ],
        "located_in": [
            [ent(["CITY", "PLACE"]), {"ORTH": ","}, ent(COUNTRY)],
        ],
        "acquisition": [
            [ent(ORG), opt("has", "have", "said", "it"), w("acquired", "bought", "acquire", "buy"), ent(ORG)],
        ],
        "speech": [
            [ent(PERSON), w("said", "told", "says")],
        ],
    }


def read_gazetteers(paths):
    """(name, label) pairs from gazetteer TSV files (header name, type, ...)."""
    out = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            header = None
            for line in f:
                line = line.rstrip("\r\n")
                if not line.strip() or line.lstrip().startswith("#"):
                    continue
                cols = line.split("\t")
                if header is None:
                    header = [c.strip().lower() for c in cols]
                    continue
                rec = dict(zip(header, cols))
                if rec.get("name") and rec.get("type"):
                    out.append((rec["name"], rec["type"]))
    return out


def label_count(n):
    return "%dk" % round(n / 1000) if n >= 1000 else str(n)


def main():
    ap = arg_parser(__doc__.splitlines()[0], default_mb=5)
    ap.add_argument("--rules", default=None, help="rule pack; gazetteers from RULES/gazetteers/*.tsv")
    ap.add_argument("--gazetteer", action="append", default=[], help="gazetteer TSV (repeatable); overrides --rules")
    ap.add_argument("--ruler-only", action="store_true", help="tokenizer + entity_ruler(gazetteer) only")
    args = ap.parse_args()

    clock = Clock()
    import spacy
    from spacy.matcher import Matcher

    paths = list(args.gazetteer)
    if not paths and args.rules:
        paths = sorted(glob.glob(os.path.join(args.rules, "gazetteers", "**", "*.tsv"), recursive=True))
    names = read_gazetteers(paths)
    if not names:
        print("spacy_pipeline: no gazetteer names (no --gazetteer, no RULES/gazetteers/*.tsv)", file=sys.stderr)

    nlp = spacy.blank("en")
    if not args.ruler_only:
        nlp.add_pipe("sentencizer")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH", "validate": False})
    patterns = [{"label": label, "pattern": name} for name, label in names]
    if not args.ruler_only:
        patterns += token_patterns()
    ruler.add_patterns(patterns)

    matcher = None
    if not args.ruler_only:
        matcher = Matcher(nlp.vocab)
        n_rel = 0
        for rel, pats in relation_patterns().items():
            matcher.add(rel, pats)
            n_rel += len(pats)

    texts, nbytes = load_texts(args.corpus, limit_mb(args))
    load = clock.lap()

    sentences = mentions = facts = 0
    for doc in nlp.pipe(texts, batch_size=64):
        mentions += len(doc.ents)
        if matcher is not None:
            sentences += sum(1 for _ in doc.sents)
            facts += len(matcher(doc))
    secs = clock.lap()

    if args.ruler_only:
        emit("spacy-entityruler-%s" % label_count(len(names)), nbytes, secs, load,
             docs=len(texts), names=len(names), mentions=mentions, spacy=spacy.__version__)
    else:
        emit("spacy-pipeline", nbytes, secs, load, docs=len(texts), names=len(names),
             token_patterns=len(token_patterns()), relation_patterns=n_rel,
             sentences=sentences, mentions=mentions, facts=facts, spacy=spacy.__version__)


if __name__ == "__main__":
    main()
