#!/usr/bin/env python3
"""Generate a deterministic gazetteer TSV for benchmarking Quarry's gazetteer stage.

    gen_gazetteer.py --count 5000 [--rules DIR] [--seed 1987] --out FILE.tsv

Rows: `name\ttype\tcanonical\tid\tattrs` (with that header), as the rule pack's
gazetteers. The set is:
  * the real country/city/place rows found in DIR/gazetteers/*.tsv when present
    (kept verbatim), else a built-in list of real countries and cities, so the
    scan finds realistic matches in news;
  * a few real 1980s news names (people, companies) that occur in Reuters-21578;
  * then generated multi-word capitalised names up to COUNT: persons (first
    [initial] last), companies ("Halvorsen Petroleum Corp", "Norvex Holdings
    Inc") and place-like names ("Port Ellery", "Mount Carrow", "Ashford
    Valley").
Same seed and inputs give a byte-identical file. Names are unique.
"""

import argparse
import glob
import os
import random
import sys

FIRST = """James John Robert Michael William David Richard Joseph Thomas Charles
Christopher Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth
Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas
Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander
Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas
Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald
Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce
Gabriel Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene
Russell Bobby Mason Philip Louis Mary Patricia Jennifer Linda Elizabeth Barbara
Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley Kimberly Emily
Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura
Cynthia Kathleen Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha
Katherine Christine Debra Rachel Carolyn Janet Catherine Maria Heather Diane Ruth
Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith
Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Sara Madison Frances
Kathryn Janice Jean Abigail Alice Judy Sophia Grace Denise Amber Doris Marilyn
Danielle Beverly Isabella Theresa Diana Natalie Brittany Charlotte Marie Kayla
Alexis Lori Hans Klaus Jurgen Pierre Jacques Francois Giovanni Marco Luca Hiroshi
Takeshi Kenji Yuki Akira Ivan Dmitri Sergei Mikhail Ahmed Mohammed Ali Hassan
Carlos Luis Miguel Javier Pedro Rafael Lars Sven Erik Nils Olaf Jan Piet Willem
Rajiv Arjun Vikram Chen Wei Li Ming Kwame Kofi Nelson Thabo""".split()

LAST = """Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez
Hernandez Lopez Gonzalez Wilson Anderson Thomas Taylor Moore Jackson Martin Lee
Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen
King Wright Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera
Campbell Mitchell Carter Roberts Gomez Phillips Evans Turner Diaz Parker Cruz
Edwards Collins Reyes Stewart Morris Morales Murphy Cook Rogers Gutierrez Ortiz
Morgan Cooper Peterson Bailey Reed Kelly Howard Ramos Kim Cox Ward Richardson
Watson Brooks Chavez Wood James Bennett Gray Mendoza Ruiz Hughes Price Alvarez
Castillo Sanders Patel Myers Long Ross Foster Jimenez Powell Jenkins Perry Russell
Sullivan Bell Coleman Butler Henderson Barnes Gonzales Fisher Vasquez Simmons
Romero Jordan Patterson Alexander Hamilton Graham Reynolds Griffin Wallace Moreno
West Cole Hayes Bryant Herrera Gibson Ellis Tran Medina Aguilar Stevens Murray
Ford Castro Marshall Owens Harrison Fernandez McDonald Woods Washington Kennedy
Wells Vargas Henry Chen Freeman Webb Tucker Guzman Burns Crawford Olson Simpson
Porter Hunter Gordon Mendez Silva Shaw Snyder Mason Dixon Munoz Hunt Hicks Holmes
Palmer Wagner Black Robertson Boyd Rose Stone Salazar Fox Warren Mills Meyer Rice
Schmidt Garza Daniels Ferguson Nichols Stephens Soto Weaver Ryan Gardner Payne
Grant Dunn Kelley Spencer Hawkins Arnold Pierce Hansen Peters Santos Hart Bradley
Knight Elliott Cunningham Duncan Armstrong Hudson Carroll Lane Riley Andrews Ray
Berry Perkins Hoffman Johnston Matthews Pena Richards Willis Carpenter Lawrence
Sandoval Mueller Schneider Fischer Weber Becker Schulz Wagner Dubois Lefebvre
Moreau Laurent Rossi Russo Ferrari Esposito Bianchi Tanaka Suzuki Watanabe Ito
Yamamoto Nakamura Kobayashi Sato Ivanov Petrov Sokolov Popov Volkov Haddad Khalil
Mansour Rahman Hussain Khan Singh Sharma Gupta Mehta Nielsen Jensen Andersen
Larsen Berg Lindqvist Johansson Karlsson Eriksson Dekker Visser Bakker Jansen
Okafor Mensah Osei Mbeki Halvorsen Ashworth Pembroke Whitfield Carrow Thornbury""".split()

INITIALS = "ABCDEFGHJKLMNPRSTW"

SYL_A = """Nor Val Ast Bel Cor Dal Ev Fal Gen Hal Ion Jar Kel Lum Mar Nex Or Pal
Quin Ral Sol Tel Ul Ver Wes Xan Yor Zen Tri Amer Pac Atl Con Inter Uni Trans Pan
Gal Bor Cal Del Fen Gra Hel Ivo Kar Lan Mer Nov Ost""".split()
SYL_B = """vex tron com dyne ford corp ica tek gen nova lith mont ward field star
line gate point stone bridge wick dale mark vale haven crest ridge port land co
sys tex rex max plex""".split()
CO_MID = ["", "", "", "Petroleum ", "Steel ", "Mining ", "Energy ", "Resources ",
          "Industries ", "Holdings ", "Airlines ", "Motors ", "Chemical ", "Financial ",
          "Savings ", "Electronics ", "Foods ", "Textile ", "Shipping ", "Insurance "]
CO_SUFFIX = ["Corp", "Inc", "Co", "Ltd", "Group", "Holdings", "Plc", "AG", "SA",
             "Industries", "Bancorp", "International", "Partners", "Trust"]
PLACE_FORMS = ["Port {}", "Mount {}", "Lake {}", "New {}", "San {}", "Fort {}",
               "{} Valley", "{} Springs", "{} Heights", "North {}", "South {}",
               "East {}", "West {}", "{} Bay", "{} Island", "Saint {}", "{} Falls"]
PLACE_STEM = LAST[150:] + [a + b for a in SYL_A[:20] for b in SYL_B[:10]]

REAL_NEWS = [
    ("Ronald Reagan", "PERSON"), ("James Baker", "PERSON"), ("Paul Volcker", "PERSON"),
    ("Margaret Thatcher", "PERSON"), ("Nigel Lawson", "PERSON"), ("Helmut Kohl", "PERSON"),
    ("Gerhard Stoltenberg", "PERSON"), ("Karl Otto Poehl", "PERSON"),
    ("Yasuhiro Nakasone", "PERSON"), ("Kiichi Miyazawa", "PERSON"),
    ("Satoshi Sumita", "PERSON"), ("Mikhail Gorbachev", "PERSON"),
    ("Jacques Chirac", "PERSON"), ("Edouard Balladur", "PERSON"),
    ("Alan Greenspan", "PERSON"), ("Clayton Yeutter", "PERSON"),
    ("Richard Lyng", "PERSON"), ("Malcolm Baldrige", "PERSON"),
    ("Subroto", "PERSON"), ("Rilwanu Lukman", "PERSON"), ("Hisham Nazer", "PERSON"),
    ("General Motors Corp", "ORG"), ("Ford Motor Co", "ORG"), ("Chrysler Corp", "ORG"),
    ("Texaco Inc", "ORG"), ("Exxon Corp", "ORG"), ("Mobil Corp", "ORG"),
    ("International Business Machines Corp", "ORG"), ("American Express Co", "ORG"),
    ("Citicorp", "ORG"), ("Chase Manhattan Corp", "ORG"), ("BankAmerica Corp", "ORG"),
    ("General Electric Co", "ORG"), ("Federal Reserve", "ORG"), ("Bundesbank", "ORG"),
    ("Bank of Japan", "ORG"), ("Bank of England", "ORG"),
    ("International Monetary Fund", "ORG"), ("World Bank", "ORG"),
    ("Organization of Petroleum Exporting Countries", "ORG"), ("OPEC", "ORG"),
    ("European Community", "ORG"), ("Commodity Credit Corporation", "ORG"),
    ("Securities and Exchange Commission", "ORG"), ("Treasury", "ORG"),
]

BUILTIN_PLACES = [
    ("United States", "COUNTRY", "USA"), ("U.S.", "COUNTRY", "USA"),
    ("Japan", "COUNTRY", "JPN"), ("West Germany", "COUNTRY", "DEU"),
    ("Britain", "COUNTRY", "GBR"), ("France", "COUNTRY", "FRA"),
    ("Italy", "COUNTRY", "ITA"), ("Canada", "COUNTRY", "CAN"), ("China", "COUNTRY", "CHN"),
    ("Soviet Union", "COUNTRY", "SUN"), ("Brazil", "COUNTRY", "BRA"),
    ("Mexico", "COUNTRY", "MEX"), ("Argentina", "COUNTRY", "ARG"),
    ("Australia", "COUNTRY", "AUS"), ("India", "COUNTRY", "IND"),
    ("Indonesia", "COUNTRY", "IDN"), ("Saudi Arabia", "COUNTRY", "SAU"),
    ("Iran", "COUNTRY", "IRN"), ("Iraq", "COUNTRY", "IRQ"), ("Kuwait", "COUNTRY", "KWT"),
    ("Nigeria", "COUNTRY", "NGA"), ("Venezuela", "COUNTRY", "VEN"),
    ("Ecuador", "COUNTRY", "ECU"), ("South Korea", "COUNTRY", "KOR"),
    ("Taiwan", "COUNTRY", "TWN"), ("Hong Kong", "COUNTRY", "HKG"),
    ("Singapore", "COUNTRY", "SGP"), ("Malaysia", "COUNTRY", "MYS"),
    ("Philippines", "COUNTRY", "PHL"), ("Thailand", "COUNTRY", "THA"),
    ("Netherlands", "COUNTRY", "NLD"), ("Belgium", "COUNTRY", "BEL"),
    ("Switzerland", "COUNTRY", "CHE"), ("Sweden", "COUNTRY", "SWE"),
    ("Norway", "COUNTRY", "NOR"), ("Denmark", "COUNTRY", "DNK"),
    ("Spain", "COUNTRY", "ESP"), ("Portugal", "COUNTRY", "PRT"),
    ("Egypt", "COUNTRY", "EGY"), ("South Africa", "COUNTRY", "ZAF"),
    ("Colombia", "COUNTRY", "COL"), ("Peru", "COUNTRY", "PER"), ("Chile", "COUNTRY", "CHL"),
    ("New Zealand", "COUNTRY", "NZL"), ("Pakistan", "COUNTRY", "PAK"),
    ("Israel", "COUNTRY", "ISR"), ("Turkey", "COUNTRY", "TUR"), ("Greece", "COUNTRY", "GRC"),
    ("Poland", "COUNTRY", "POL"), ("Austria", "COUNTRY", "AUT"),
    ("New York", "CITY", "USA"), ("Washington", "CITY", "USA"), ("Chicago", "CITY", "USA"),
    ("London", "CITY", "GBR"), ("Tokyo", "CITY", "JPN"), ("Paris", "CITY", "FRA"),
    ("Frankfurt", "CITY", "DEU"), ("Bonn", "CITY", "DEU"), ("Zurich", "CITY", "CHE"),
    ("Brussels", "CITY", "BEL"), ("Amsterdam", "CITY", "NLD"), ("Geneva", "CITY", "CHE"),
    ("Vienna", "CITY", "AUT"), ("Moscow", "CITY", "SUN"), ("Beijing", "CITY", "CHN"),
    ("Peking", "CITY", "CHN"), ("Sydney", "CITY", "AUS"), ("Toronto", "CITY", "CAN"),
    ("Ottawa", "CITY", "CAN"), ("Sao Paulo", "CITY", "BRA"), ("Buenos Aires", "CITY", "ARG"),
    ("Mexico City", "CITY", "MEX"), ("Jakarta", "CITY", "IDN"), ("Kuala Lumpur", "CITY", "MYS"),
    ("Manila", "CITY", "PHL"), ("Bangkok", "CITY", "THA"), ("Riyadh", "CITY", "SAU"),
    ("Tehran", "CITY", "IRN"), ("Baghdad", "CITY", "IRQ"), ("Cairo", "CITY", "EGY"),
    ("Lagos", "CITY", "NGA"), ("Caracas", "CITY", "VEN"), ("Rotterdam", "CITY", "NLD"),
    ("Milan", "CITY", "ITA"), ("Rome", "CITY", "ITA"), ("Madrid", "CITY", "ESP"),
    ("Houston", "CITY", "USA"), ("Los Angeles", "CITY", "USA"), ("San Francisco", "CITY", "USA"),
    ("Seoul", "CITY", "KOR"), ("Taipei", "CITY", "TWN"), ("Wellington", "CITY", "NZL"),
]

PLACE_TYPES = {"COUNTRY", "CITY", "PLACE", "REGION", "STATE", "PROVINCE", "GPE", "LOC",
               "LOCATION", "CAPITAL", "TERRITORY", "TOWN", "DISTRICT"}

HEADER = "name\ttype\tcanonical\tid\tattrs"


def read_rules_rows(rules):
    """(rows of place-like types, set of all types) from RULES/gazetteers/*.tsv."""
    rows, types = [], set()
    if not rules:
        return rows, types
    for path in sorted(glob.glob(os.path.join(rules, "gazetteers", "**", "*.tsv"), recursive=True)):
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
                name, typ = rec.get("name", "").strip(), rec.get("type", "").strip()
                if not name or not typ:
                    continue
                types.add(typ)
                if typ.upper() in PLACE_TYPES:
                    rows.append((name, typ, rec.get("canonical", "") or name,
                                 rec.get("id", ""), rec.get("attrs", "")))
    return rows, types | pack_types(rules)


def pack_types(rules):
    """Type names declared under `types:` in RULES/pack.yaml (a plain scan, no YAML library)."""
    types, inside = set(), False
    try:
        with open(os.path.join(rules, "pack.yaml"), encoding="utf-8") as f:
            for line in f:
                body = line.split("#", 1)[0].rstrip()
                if not body.strip():
                    continue
                if not line[0].isspace():
                    inside = body.strip() == "types:"
                    continue
                if inside:
                    key = body.strip().split(":", 1)[0].strip().strip("'\"")
                    if key and key.replace("_", "").isalnum():
                        types.add(key)
    except OSError:
        pass
    return types


def pick_type(types, candidates, default):
    for c in candidates:
        if c in types:
            return c
    return default


def generate(count, seed, rules):
    rng = random.Random(seed)
    real_places, types = read_rules_rows(rules)
    t_person = pick_type(types, ["PERSON", "PER", "PEOPLE"], "PERSON")
    t_org = pick_type(types, ["ORG", "ORGANIZATION", "ORGANISATION", "COMPANY"], "ORG")
    t_place = pick_type(types, ["PLACE", "LOCATION", "LOC", "CITY", "GPE"], "PLACE")
    t_country = pick_type(types, ["COUNTRY", "GPE"], "COUNTRY")
    t_city = pick_type(types, ["CITY", "PLACE", "GPE"], "CITY")

    rows, seen = [], set()

    def add(name, typ, canonical="", ident="", attrs=""):
        if name in seen or len(rows) >= count:
            return
        seen.add(name)
        rows.append((name, typ, canonical or name, ident, attrs))

    if real_places:
        for r in real_places[: count // 2]:
            add(*r)
    else:
        for name, kind, iso in BUILTIN_PLACES:
            if kind == "COUNTRY":
                add(name, t_country, attrs="iso3=%s" % iso)
            else:
                add(name, t_city, attrs="country=%s" % iso)
    for name, kind in REAL_NEWS:
        add(name, t_person if kind == "PERSON" else t_org, attrs="source=news")

    # Generated names: 50% persons, 30% companies, 20% places, interleaved so any
    # prefix of the file has the same mix.
    kinds = ["person"] * 5 + ["company"] * 3 + ["place"] * 2
    misses = 0
    while len(rows) < count:
        before = len(rows)
        kind = rng.choice(kinds)
        if kind == "person":
            first, last = rng.choice(FIRST), rng.choice(LAST)
            r = rng.random()
            if r < 0.25:
                name = "%s %s. %s" % (first, rng.choice(INITIALS), last)
            elif r < 0.35:
                name = "%s %s %s" % (first, rng.choice(FIRST), last)
            else:
                name = "%s %s" % (first, last)
            add(name, t_person, attrs="source=bench")
        elif kind == "company":
            stem = rng.choice(LAST) if rng.random() < 0.4 else rng.choice(SYL_A) + rng.choice(SYL_B)
            if rng.random() < 0.15:
                stem = "%s %s" % (stem, rng.choice(LAST))
            name = "%s %s%s" % (stem, rng.choice(CO_MID), rng.choice(CO_SUFFIX))
            add(name, t_org, attrs="kind=company;source=bench")
        else:
            name = rng.choice(PLACE_FORMS).format(rng.choice(PLACE_STEM))
            if rng.random() < 0.2:
                name = name + " " + rng.choice(["Harbour", "Junction", "Crossing", "Plains"])
            add(name, t_place, attrs="source=bench")
        misses = misses + 1 if len(rows) == before else 0
        if misses > 100000:
            sys.exit("gen_gazetteer: cannot make %d unique names (made %d)" % (count, len(rows)))
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, required=True, help="number of rows (names)")
    ap.add_argument("--rules", default=None, help="rule pack; real place rows come from RULES/gazetteers/*.tsv")
    ap.add_argument("--seed", type=int, default=1987)
    ap.add_argument("--out", required=True, help="output TSV ('-' for stdout)")
    args = ap.parse_args()
    rows = generate(args.count, args.seed, args.rules)
    text = HEADER + "\n" + "".join("\t".join(r) + "\n" for r in rows)
    if args.out == "-":
        sys.stdout.write(text)
        return
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
