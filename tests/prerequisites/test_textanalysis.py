"""Swedish term counting: inflections, compounds, exclusions, phrases, co-occurrence and
goal sentences, on a small invented corpus whose counts were worked out by hand."""

from __future__ import annotations

import pytest

from jamlik.prerequisites.default_themes import DEFAULT_THEMES
from jamlik.prerequisites.textanalysis import (
    ThemeDictionary,
    analyse,
    count_theme,
    goal_sentences,
    split_sentences,
    stem_matches,
    themes_from_mapping,
    tokenize,
    word_count,
)

THEMES = themes_from_mapping({k: (sv, lines) for k, (sv, _en, lines) in DEFAULT_THEMES.items()})
HEALTH = next(t for t in THEMES if t.key == "health")

CORPUS = (
    "Folkhälsan i kommunen ska förbättras. Folkhälsoarbetet samordnas av kommunstyrelsen "
    "och ett nytt folkhälsomål antas.\n\n"
    "Elevhälsan förstärks. Hälsofrämjande insatser i skolan prioriteras, och ohälsan bland "
    "unga ska minska.\n\n"
    "Kommunstyrelsens ordförande hälsade alla välkomna. En hälsning skickades till vänorten.\n\n"
    "Tryggheten ska öka och otryggheten minska i centrum. Brottsförebyggande arbete och "
    "ANDT-prevention fortsätter.\n\n"
    "Kommunen arbetar med Agenda 2030. Skillnader i hälsa mellan stadsdelarna ska minska."
)


@pytest.mark.parametrize(
    ("word", "stem", "expected"),
    [
        ("folkhälsa", "häls", True),  # compound tail after "folk"
        ("folkhälsoarbetet", "folkhäls", True),  # head with linking -o- and a tail
        ("folkhälsomål", "folkhäls", True),
        ("hälsofrämjande", "häls", True),  # stem as compound head
        ("hälsofrämjande", "främj", True),  # and främj as its tail
        ("elevhälsan", "häls", True),
        ("andt-prevention", "prevent", True),  # after a hyphen
        ("brottsförebyggande", "förebygg", True),
        ("avbrott", "brott", False),  # "av" is too short to be a compound modifier
        ("hals", "häls", False),
    ],
)
def test_stem_matches_heads_inflections_and_compound_tails(word, stem, expected):
    assert stem_matches(word, stem) is expected


def test_tokenize_keeps_swedish_letters_and_hyphen_compounds():
    assert tokenize("Folkhälso- och ANDT-prevention, år 2030!") == [
        "folkhälso",
        "och",
        "andt-prevention",
        "år",
        "2030",
    ]
    assert word_count("Agenda 2030 gäller") == 2  # numbers are not words


def test_health_theme_counts_forms_and_excludes_greetings():
    tokens = tokenize(CORPUS)
    result = count_theme(tokens, HEALTH, word_count(CORPUS))
    # folkhälsan, folkhälsoarbetet, folkhälsomål, elevhälsan, hälsofrämjande, ohälsan, hälsa
    # (in "skillnader i hälsa"); not "hälsade" nor "hälsning".
    assert result.count == 7
    assert "hälsade" not in result.words and "hälsning" not in result.words
    assert result.words["folkhälsoarbetet"] == 1
    total_words = word_count(CORPUS)
    assert result.per_1000_words == round(1000 * 7 / total_words, 2)


def test_a_word_matched_by_several_stems_counts_once():
    theme = ThemeDictionary.parse("t", "T", ["häls", "folkhäls"])
    assert count_theme(tokenize("folkhälsa"), theme, 1).count == 1
    assert count_theme(tokenize("folkhälsa"), theme, 1).by_term == {"häls": 1, "folkhäls": 1}


def test_other_themes_on_the_corpus():
    counts = {t.key: t.count for t in analyse(CORPUS, THEMES).themes}
    assert counts["safety"] == 2  # tryggheten, otryggheten
    assert (
        counts["promotion_prevention"] == 3
    )  # hälsofrämjande, brottsförebyggande, andt-prevention
    assert counts["sustainability"] == 1  # agenda 2030
    assert counts["equity"] == 1  # "skillnader i hälsa"


def test_phrase_short_words_match_exactly():
    theme = ThemeDictionary.parse("eq", "Eq", ["skillnader i hälsa"])
    assert count_theme(tokenize("skillnader i hälsan"), theme, 3).count == 1
    assert count_theme(tokenize("skillnader inom hälsan"), theme, 3).count == 0


def test_exact_entries():
    theme = ThemeDictionary.parse("x", "X", ["=mål"])
    assert count_theme(tokenize("mål målen folkhälsomål"), theme, 3).count == 1


def test_dictionary_errors_name_the_theme_and_line():
    with pytest.raises(ValueError, match="theme 'x', line 2: stem 'h' is too short"):
        ThemeDictionary.parse("x", "X", ["häls", "h"])
    with pytest.raises(ValueError, match="has no terms"):
        ThemeDictionary.parse("x", "X", ["# only a comment", "-hälsning"])


def test_sentences_and_co_occurrence():
    sentences = split_sentences(CORPUS)
    assert sentences[0] == "Folkhälsan i kommunen ska förbättras."
    assert len(sentences) == 10
    pairs = {(c.a, c.b): c for c in analyse(CORPUS, THEMES).co_occurrence}
    both = pairs[("health", "equity")]
    assert both.sentences == 1  # "Skillnader i hälsa …"
    assert both.paragraphs == 1
    assert pairs[("health", "promotion_prevention")].sentences == 1  # hälsofrämjande sentence
    assert pairs[("health", "safety")].sentences == 0


def test_goal_sentences_need_a_goal_word_and_a_theme_with_context():
    found = goal_sentences(CORPUS, THEMES, about=["health", "equity"])
    texts = [g.sentence for g in found]
    assert "Folkhälsan i kommunen ska förbättras." in texts
    assert "Skillnader i hälsa mellan stadsdelarna ska minska." in texts
    # "Elevhälsan förstärks." has no goal word
    assert "Elevhälsan förstärks." not in texts
    last = found[-1]
    assert last.before == "Kommunen arbetar med Agenda 2030."
    assert last.themes == ["health", "equity"]
