#!/usr/bin/env python3
"""Derives the word list of the Dutch decompounder from the OpenTaal word list.

Input: the OpenTaal list as Debian's package wdutch installs it (/usr/share/dict/dutch,
BSD or CC-BY 3.0, (c) OpenTaal). Get it without installing:

    apt-get download wdutch && dpkg-deb -x wdutch_*.deb wdutch
    python3 scripts/derive-dutch-words.py wdutch/usr/share/dict/dutch \
        > crates/kb-search/data/nl-words.txt

Output, sorted, one a line: the list's lower-case words (names and abbreviations, which
have capitals, are left out), diacritics folded as the index folds them, of 4 to 20
letters a-z only, without the compounds: a word that splits into two words of the list,
as crates/kb-search/src/decompound.rs splits (parts of at least 4 letters, not in
crates/kb-search/data/nl-not-parts.txt, an optional linking "s", "e" or "en" between them,
the second part starting where a syllable can start), is left out, since the decompounder
finds it from its parts. What is left are the words compounds are made of.
"""

import re
import sys
import unicodedata
from pathlib import Path

MIN_PART = 4
MAX_WORD = 20
LINKS = ["", "s", "e", "en"]
VOWELS = set("aeiouy")
ONSETS = set(
    "bl br ch chr cl cr dr dw fl fr gl gr kl kn kr kw ph pl pr sch schr sj sk sl sm sn "
    "sp spl spr st str sw th tj tr tw vl vr wr zw".split()
)
NOT_PARTS_FILE = Path(__file__).resolve().parent.parent / "crates/kb-search/data/nl-not-parts.txt"


def fold(word):
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_onset(consonants):
    return len(consonants) <= 1 or consonants in ONSETS


def starts_syllable(word, at):
    """Whether a syllable can start at `at`: the consonants from there to the next vowel
    are the longest onset of the consonant cluster around `at`."""
    start = at
    while start > 0 and word[start - 1] not in VOWELS:
        start -= 1
    end = at
    while end < len(word) and word[end] not in VOWELS:
        end += 1
    if end == at:
        return True
    for s in range(start, end):
        if is_onset(word[s:end]):
            return s == at
    return False


def main():
    source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/dict/dutch"
    not_parts = {
        line.strip()
        for line in NOT_PARTS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    words = set()
    with open(source, encoding="utf-8") as f:
        for line in f:
            word = line.strip()
            if word != word.lower():
                continue
            folded = fold(word)
            if re.fullmatch(f"[a-z]{{{MIN_PART},{MAX_WORD}}}", folded):
                words.add(folded)

    def is_part(p):
        return len(p) >= MIN_PART and p in words and p not in not_parts

    def splits_in_two(word):
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            if not is_part(word[:cut]):
                continue
            for link in LINKS:
                if not word.startswith(link, cut):
                    continue
                at = cut + len(link)
                if is_part(word[at:]) and starts_syllable(word, at):
                    return True
        return False

    for word in sorted(w for w in words if not splits_in_two(w)):
        print(word)


if __name__ == "__main__":
    main()
