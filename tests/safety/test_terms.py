"""The term lists see through the usual disguises, and leave ordinary prompts alone."""

import pytest

from vidora.safety.terms import TermLists, normalise, words


@pytest.fixture(scope="module")
def terms():
    return TermLists.load()


@pytest.mark.parametrize("prompt, normalised", [
    ("ｐｏｒｎ", "porn"),                    # fullwidth
    ("р0rn", "porn"),                       # Cyrillic р and a zero
    ("𝐧𝐮𝐝𝐞", "nude"),                       # mathematical bold
    ("Dónald Trümp", "donald trump"),        # accents
    ("s e x on the beach", "sex on the beach"),  # spaced letters
    ("n.u.d.e-woman", "nude woman"),          # split letters
    ("nuuuuude", "nude"),                    # stretched
    ("#DonaldTrump @elonmusk", "donaldtrump elonmusk"),
    ("a red ball bounces on the grass", "a red ball bounces on the grass"),
])
def test_normalising_undoes_disguises(prompt, normalised):
    assert normalise(prompt) == normalised


def test_numbers_stay_numbers_as_written():
    plain, leet = words("a 12 year old and a 3d cube")
    assert plain[1] == leet[1] == "12" and plain[-2] == "3d" and leet[-2] == "ed"


@pytest.mark.parametrize("prompt, category", [
    ("p 0 r n video", "sexual"),
    ("D o n a l d  T r u m p waves", "real_person"),
    ("#taylorswift sings", "real_person"),
    ("a 12 year old girl in lingerie", "minors"),     # a minor word with a (teen-list) sexual term
    ("kys", "self_harm"),
    ("a rigged election broadcast", "political_deception"),
    ("blood splatter on the walls", "violence"),
    ("a stray dog kicked to death", "violence"),
    ("a woman hangs herself in the attic", "self_harm"),   # the methods in the third person, not only "myself"
])
def test_disallowed_terms_are_found_for_everyone(terms, prompt, category):
    assert terms.find(prompt)[0].category == category


@pytest.mark.parametrize("prompt, term", [
    ("xxx", "xxx"), ("an XXXX rated scene", "xxx"), ("x x x", "xxx"),  # a term spelt with a run of letters
    ("nuuuude", "nude"), ("booooobs on a beach", "boobs"), ("p0rnnnn", "porn*"),  # stretched letters
])
def test_stretched_letters_match_the_term(terms, prompt, term):
    assert terms.find(prompt)[0].term == term


@pytest.mark.parametrize("prompt", [
    "a red ball bounces on the grass", "a naked mole rat digs a tunnel", "a zebra with stripes",
    "the rock rolls down the hill", "a trump card on the table", "a lincoln town car", "a kid kicks a ball",
    "the jordan river at dawn", "Essex countryside in spring",
    "x", "an x-ray of a hand", "x marks the spot", "xx", "a ccp parade",  # fewer (or doubled) letters than a term
])
def test_ordinary_prompts_match_nothing(terms, prompt):
    assert terms.find(prompt) == []


def test_teen_lists_apply_to_teens_only(terms):
    assert terms.find("a sexy dancer") == []
    match = terms.find("a sexy dancer", teen=True)[0]
    assert (match.category, match.teen_only) == ("sexual", True)


def test_operators_add_their_own_terms(tmp_path):
    extra = tmp_path / "ours.toml"
    extra.write_text('[harassment]\nall = ["grumblefrog"]\n')
    assert TermLists.load(extra).find("you are a GRUMBLEFR0G")[0].category == "harassment"
    extra.write_text("not toml [")
    with pytest.raises(ValueError, match="ours.toml"):
        TermLists.load(extra)
