"""Term lists matched on a normalised prompt: the first, exact layer of prompt moderation.

Normalising undoes the usual ways of slipping a word past a list: Unicode compatibility forms
(fullwidth, 𝐛𝐨𝐥𝐝, ligatures), look-alike letters from other scripts (Cyrillic "р" for "p", after
Unicode's confusables table), accents, leetspeak ("p0rn", "s3x"), letters spaced or split
("s e x", "p.o.r.n"), stretched letters ("nuuuude") and names run together ("#donaldtrump").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import groupby
from pathlib import Path

from confusable_homoglyphs import confusables

BUNDLED_TERMS = Path(__file__).parent / "data" / "terms.toml"
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i",
                      "|": "l", "+": "t"})
# Single characters with separators between them ("s e x", "p.o.r.n", "n-u-d-e"): three or more in a row.
SPACED = re.compile(r"(?<![^\W_])(?:[^\W_]|[@$!|+])(?:[\s.\-_*/\\,]+(?:[^\W_]|[@$!|+])(?![^\W_])){2,}")
STRETCHED = re.compile(r"(.)\1{2,}")  # three or more of the same letter: "nuuuude" reads as "nude"
WORD = re.compile(r"[a-z0-9@$!|+]+")


@lru_cache(maxsize=4096)
def _latin(char: str) -> str:
    """The ASCII letter or digit ``char`` looks like, if any (Unicode confusables), else ``char``."""
    found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
    for entry in found:
        for glyph in entry["homoglyphs"]:
            if glyph["c"].isascii() and glyph["c"].isalnum():
                return glyph["c"].lower()
    return char


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: compatibility forms, look-alikes and accents undone."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c if c.isascii() else _latin(c) for c in text)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return text.casefold()


def words(text: str) -> tuple[list[str], list[str]]:
    """The prompt's words twice, position for position: as written, and with leetspeak read as letters.
    Stretched letters stay as written: a term matches them (``Term``), and collapsing them here would make
    "xxx" the letter "x"."""
    text = SPACED.sub(lambda m: re.sub(r"[\s.\-_*/\\,]+", "", m.group()), fold(text))
    plain, leet = [], []
    for token in WORD.findall(text):
        if not any(c.isalpha() for c in token):  # "2", "1990": numbers stay numbers
            token = re.sub(r"[@$!|+]", "", token)
            if not token:
                continue
            plain.append(token), leet.append(token)
            continue
        token = token.lstrip("@")  # "@name" is a mention, not leetspeak
        plain.append(re.sub(r"[@$!|+]", "", token))
        leet.append(token.translate(LEET))
    return plain, leet


def normalise(text: str) -> str:
    """The prompt as the classifier reads it: its normalised words, leetspeak read as letters, stretched
    letters collapsed."""
    return " ".join(STRETCHED.sub(r"\1", word) for word in words(text)[1])


def stretchable(word: str) -> str:
    """A regular expression for ``word`` with any of its letters stretched to three or more ("nude":
    "nuuuude"; "boobs": "booooobs"). A letter never matches a run of two ("cp" is not "ccp"), and a run never
    matches fewer letters ("xxx" is not "x")."""
    pattern = ""
    for letter, run in groupby(word):
        n, letter = len(list(run)), re.escape(letter)
        pattern += f"{letter}(?:{letter}{{2,}})?" if n == 1 else f"{letter}{{{n},}}"
    return pattern


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool  # the last word matches any ending ("porn*")
    # Per word, then for all the words run together ("donaldtrump"): each written with stretched letters.
    patterns: tuple[re.Pattern, ...] = field(init=False, repr=False, compare=False)
    joined: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        ending = ".*" if self.prefix else ""
        last = len(self.words) - 1
        object.__setattr__(self, "patterns", tuple(re.compile(stretchable(w) + (ending if i == last else ""))
                                                   for i, w in enumerate(self.words)))
        object.__setattr__(self, "joined", re.compile(stretchable("".join(self.words)) + ending))

    @classmethod
    def parse(cls, text: str) -> Term:
        prefix = text.endswith("*")
        plain, _ = words(text.rstrip("*"))
        if not plain:
            raise ValueError(f"empty moderation term {text!r}")
        return cls(tuple(plain), prefix)

    def found_in(self, tokens: list[str]) -> bool:
        n = len(self.words)
        for i, token in enumerate(tokens):
            if n > 1 and self.joined.fullmatch(token):
                return True
            if i + n <= len(tokens) and all(p.fullmatch(tokens[i + k]) for k, p in enumerate(self.patterns)):
                return True
        return False

    def __str__(self) -> str:
        return " ".join(self.words) + ("*" if self.prefix else "")


@dataclass(frozen=True)
class TermMatch:
    category: str
    term: str
    teen_only: bool


MINORS = "minors"
SEXUAL = "sexual"


class TermLists:
    """Per category, terms refused for everyone (``all``) and terms refused for teens too (``teen``)."""

    def __init__(self, lists: dict[str, dict[str, list[str]]]):
        self.all = {category: [Term.parse(t) for t in entry.get("all", [])] for category, entry in lists.items()}
        self.teen = {category: [Term.parse(t) for t in entry.get("teen", [])] for category, entry in lists.items()}
        self.minor_words = [Term.parse(t) for t in lists.get(MINORS, {}).get("minor_words", [])]

    @classmethod
    def load(cls, *paths: str | Path) -> TermLists:
        """The bundled lists, plus any operator files in the same format (their terms are added)."""
        merged: dict[str, dict[str, list[str]]] = {}
        for path in (BUNDLED_TERMS, *paths):
            try:
                data = tomllib.loads(Path(path).read_text())
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ValueError(f"moderation terms {path}: {exc}") from None
            for category, entry in data.items():
                for kind, terms in entry.items():
                    merged.setdefault(category, {}).setdefault(kind, []).extend(terms)
        return cls(merged)

    @property
    def categories(self) -> list[str]:
        return list(self.all)

    def find(self, text: str, teen: bool = False) -> list[TermMatch]:
        """Every term found in ``text``; teen-only terms count only when ``teen``. Any minor word together
        with any sexual term (teen list included) counts as sexualising minors, for everyone."""
        tokens = words(text)
        found = lambda term: any(term.found_in(view) for view in tokens)  # noqa: E731
        matches = [TermMatch(category, str(term), False)
                   for category, terms in self.all.items() for term in terms if found(term)]
        sexual_teen = [TermMatch(SEXUAL, str(term), True) for term in self.teen.get(SEXUAL, []) if found(term)]
        if teen:
            matches += [TermMatch(category, str(term), True)
                        for category, terms in self.teen.items() for term in terms if found(term)]
        sexual = [m for m in matches if m.category == SEXUAL] + sexual_teen
        minor = next((term for term in self.minor_words if found(term)), None)
        if minor is not None and sexual:
            matches.insert(0, TermMatch(MINORS, f"{minor} + {sexual[0].term}", False))
        return matches
