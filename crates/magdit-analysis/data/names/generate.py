#!/usr/bin/env python3
"""Regenerates the name lists in this folder from the Faker package (MIT licence).

Usage: pip install --target /tmp/fakerpkg faker && PYTHONPATH=/tmp/fakerpkg python3 generate.py

Sources: faker/providers/person/{nl_NL,nl_BE,tr_TR,fr_DZ}/__init__.py (first names),
{nl_NL,nl_BE} (surnames). The ambiguity list is hand-curated: first names that are also
common Dutch words, so they only count as names where capitalisation is informative.
"""
import importlib
import pathlib
import unicodedata

HERE = pathlib.Path(__file__).parent
FIRST_NAME_LOCALES = ["nl_NL", "nl_BE", "tr_TR", "fr_DZ"]
SURNAME_LOCALES = ["nl_NL", "nl_BE"]

# Entries of the Faker lists that are Dutch words first and names rarely (or noise).
NOT_NAMES = {
    "Akkerman", "Baba", "Barak", "Bergen", "Beren", "Beste", "Constant", "Divan", "El",
    "Evde", "Gazel", "İkiz", "İmam", "Ize", "Ise", "Kader", "Kenter", "Lander", "Mihrab",
    "Nas", "Nazi", "Över", "Özel", "Peren", "Ramadan", "Salami", "Server", "Sultane", "Tan",
    "Toy", "Tule", "Ülke", "Us", "An", "Emine.", "Üzer", "Ünek", "Uçan", "Öge", "Üge",
}

# First names that are also everyday Dutch words: "Roos" (rose), "Lieve" (dear),
# "Elke" (each), "Toon" (tone / show). Capitalised at a sentence start they say nothing.
AMBIGUOUS = {
    "Amber", "Bas", "Beau", "Ben", "Bob", "Els", "Elke", "Fleur", "Flor", "Frank", "Griet",
    "Iris", "Jade", "Jasmijn", "Jet", "Job", "Joke", "Kick", "Leen", "Lies", "Lieve",
    "Linde", "Lot", "Madelief", "Mare", "Mats", "Max", "Mees", "Merel", "Nova", "Puck",
    "Puk", "Rob", "Roos", "Rune", "Toon", "Valentijn", "Joy", "Rosa", "Rose", "Storm",
    "Sterre", "Hoop", "Wil", "Mag", "Augustus", "Dana", "Mila", "Jack", "Noa", "Olga",
    "Ward", "Ivy", "Stan",
}

# Common first names in Dutch schools missing from Faker's lists; hand-written for magdit (MIT).
EXTRA_FIRST_NAMES = {
    # Dutch, mostly the parents' and teachers' generation
    "Kees", "Truus", "Joop", "Sjaak", "Ineke", "Annemieke", "Marloes", "Anneke", "Marijke",
    "Karin", "Monique", "Petra", "Sandra", "Ingrid", "Marcel", "Erwin", "Ronald", "Edwin",
    "Patrick", "Wilma", "Harm", "Gerard", "Jolanda", "Yvonne", "Mirjam", "Esther", "Hanneke",
    "Marieke", "Janneke", "Mariska", "Wendy", "Linda", "Saskia", "Femke", "Joyce", "Kirsten",
    "Rianne", "Manon", "Floor", "Lisanne", "Maaike", "Nienke", "Jorien", "Renske", "Ilse",
    "Willemijn", "Hilde", "Gijsbert", "Wouter", "Rutger", "Joost", "Sjoerd", "Hidde", "Wessel",
    # Turkish-Dutch
    "Emre", "Merve", "Hakan", "Burak", "Kerem", "Büşra", "Esra", "Yasin", "Ayşe", "Hatice",
    "Selin", "Eda", "Ecem", "Berkay", "Furkan", "Oğuz", "Yunus", "Sevda", "Derya", "Tuba",
    "Tuğba", "Kübra", "Gizem", "Ceren", "Serkan", "Volkan", "Erkan", "Tolga", "Dilara", "Zehra",
    "Rabia", "Sümeyye", "Enes", "Efe", "Arda", "Ege", "Mert", "Kaan", "Baran", "Eymen", "Miraç",
    # Moroccan-Dutch
    "Anass", "Anouar", "Hicham", "Nordin", "Othman", "Hajar", "Meryem", "Naima", "Latifa",
    "Redouan", "Hafsa", "Chaimae", "Oumaima", "Ilham", "Dunya", "Djamila", "Mohammed",
    "Soufyan", "Ilyass", "Ilias", "Zakaria", "Reda", "Yassin", "Ayman", "Marwan", "Nassim",
    "Rayan", "Sami", "Ikram", "Imane", "Salma", "Sanae", "Siham", "Loubna", "Nisrine", "Khalid",
    "Abdelkarim", "Mustapha", "Driss", "Fouad", "Jamal", "Hassan", "Hussein", "Malika",
}

TUSSENVOEGSELS = {"de", "der", "den", "van", "het", "'t", "te", "ter", "ten", "in", "op",
                  "la", "le", "du", "da", "di", "del", "della", "des", "von", "zu", "und",
                  "uit", "aan", "'s", "d'", "el", "al", "vd", "v.d."}


def provider(locale):
    return importlib.import_module(f"faker.providers.person.{locale}").Provider


def clean(name):
    name = unicodedata.normalize("NFC", name.strip())
    return name if name and all(c.isalpha() or c in "-'" for c in name) else None


def first_names():
    seen = {}
    for loc in FIRST_NAME_LOCALES:
        for n in provider(loc).first_names:
            n = clean(n)
            if n and len(n) >= 2 and n not in NOT_NAMES:
                seen.setdefault(n.casefold(), n)
    for n in EXTRA_FIRST_NAMES:
        seen.setdefault(n.casefold(), n)
    return sorted(seen.values(), key=str.casefold)


def surnames():
    seen = {}
    for loc in SURNAME_LOCALES:
        for n in provider(loc).last_names:
            words = [w for w in n.replace(",", " ").split() if w.casefold() not in TUSSENVOEGSELS]
            # Only plain one-word surnames: the list confirms "J. Bakker"-style patterns.
            if len(words) == 1:
                w = clean(words[0])
                if w and len(w) >= 3:
                    seen.setdefault(w.casefold(), w)
    return sorted(seen.values(), key=str.casefold)


def write(name, items, header):
    text = "".join(f"# {h}\n" for h in header) + "".join(f"{i}\n" for i in items)
    (HERE / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    src = "Source: Faker (github.com/joke2k/faker), MIT licence; see ../README.md."
    write("first_names.txt", first_names(),
          ["First names (Dutch, Flemish, Turkish, Maghrebi); one a line.", src,
           "Plus EXTRA_FIRST_NAMES of generate.py, hand-written for magdit (MIT)."])
    write("surnames.txt", surnames(), ["Dutch and Flemish surnames without tussenvoegsel.", src])
    write("ambiguous.txt", sorted(AMBIGUOUS),
          ["First names that are also common Dutch words; hand-curated for magdit (MIT)."])
