"""An owner's text restrictions on their cameo ("no political content", "no alcohol; nothing scary"), checked
against every prompt that puts the cameo in a video.

Each clause is read on its own (clauses are split at new lines, ";", "," and "."). A clause that names a topic
below refuses prompts with any of the topic's words; every other word of the clause that carries meaning is
refused as well, so "no swimming" refuses "@ann swims in the sea". Words are compared by their Snowball stem.
This is word matching, not understanding: the cameo page tells owners to name what they do not want.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

TOPICS = {
    "politics": "political politics politician election elect vote voting ballot campaign president senator senate "
                "congress parliament government minister governor mayor protest rally democrat republican candidate "
                "propaganda referendum partisan",
    "violence": "violence violent fight fighting punch kick kill murder blood bloody gore gun shoot shooting stab "
                "weapon knife sword attack war bomb explode explosion hurt injure wound assault",
    "alcohol": "alcohol alcoholic beer wine vodka whisky whiskey drunk booze cocktail liquor champagne pub tipsy",
    "drugs": "drug drugs weed marijuana cannabis cocaine heroin smoke smoking cigarette cigar vape pill",
    "romance": "romance romantic kiss kissing dating flirt sexy sexual sex nude naked lingerie lover lovers",
    "religion": "religion religious church mosque temple synagogue pray prayer god priest bible quran worship",
    "advertising": "advertising advert advertisement ad ads commercial brand sponsor sponsored endorse",
    "horror": "horror scary scare monster zombie ghost creepy haunted blood demon",
    "gambling": "gambling gamble casino bet betting poker lottery",
}
# Words in a clause that name a topic ("no political content" -> politics).
NAMES = {
    "politics": "political politics politician election elections",
    "violence": "violence violent fighting fights gore weapons",
    "alcohol": "alcohol drinking booze",
    "drugs": "drugs smoking",
    "romance": "romance romantic kissing sexual sex",
    "religion": "religion religious",
    "advertising": "advertising ads advertisements commercial commercials brands sponsored",
    "horror": "horror scary",
    "gambling": "gambling",
}
# Words that carry no subject of their own in a restriction.
FILLER = """no not non don't dont never nothing any anything anyone without with in on of at to for from by about
around involving involve involves content contents video videos clip clips stuff thing things kind kinds type types
related relating topic topics theme themes please me my i we us you your yourself myself do does be being use using
used show showing shown put make making made allow allowed let and or the a an this that these those it its all
some keep away off only ever other else like such as e.g eg etc is are was were""".split()
WORD = re.compile(r"[a-z0-9']+")
CLAUSES = re.compile(r"[\n;,.]+")


@lru_cache(maxsize=1)
def _stemmer():
    return snowballstemmer.stemmer("english")


def stems(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return _stemmer().stemWords(WORD.findall(folded))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, frozenset[str]], dict[str, str], frozenset[str]]:
    topics = {name: frozenset(stems(words)) for name, words in TOPICS.items()}
    names = {stem: topic for topic, words in NAMES.items() for stem in stems(words)}
    return topics, names, frozenset(stems(" ".join(FILLER)))


def breached(restrictions: str, prompt: str) -> str | None:
    """The first clause of ``restrictions`` that ``prompt`` goes against, or None."""
    topics, names, filler = _tables()
    said = set(stems(prompt))
    for clause in CLAUSES.split(restrictions):
        words = set(stems(clause))
        refused = {stem for stem in words - filler if len(stem) > 1}
        for stem in words & names.keys():
            refused |= topics[names[stem]]
        if said & refused:
            return clause.strip()
    return None
