"""Explainable analysis of recommendations: action category and verb, concrete action,
rights-holders, detail, groups of persons, themes, SDG goals and protection relevance.

Pure Python, offline: rules compiled once, plus a small linear model for the action category.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rightstrack.engine.analyse.action import classify_actions, operative_text
from rightstrack.engine.analyse.calibration import confidence
from rightstrack.engine.analyse.detail import (
    find_concrete_action,
    find_detail,
    find_protection,
    find_protection_instrument,
)
from rightstrack.engine.analyse.persons import (
    find_groups,
    rights_holders,
    stated_rights_holders,
    strip_names,
)
from rightstrack.engine.analyse.themes import find_sdg_goals, find_themes
from rightstrack.engine.types import Analysis, Labelled, RecText
from rightstrack.formats.records import ACTION_CATEGORIES, GROUPS_OF_PERSONS, SDG_GOALS, THEMES

__all__ = ["RuleAnalyser", "analyse_one", "analyse_texts"]

#: Groups whose mention makes a recommendation protection-relevant.
PROTECTION_GROUPS = frozenset(
    (
        "Stateless persons",
        "Internally displaced persons",
        "Refugees & asylum seekers",
        "Persons affected by armed conflict",
    )
)

#: A group of stateless persons found from "nationality" or "citizenship" alone ("on grounds of
#: nationality", "responsible citizenship") is no protection matter; these words are.
_STATELESSNESS = re.compile(
    r"\b(?:stateless\w*|birth\s+registration|naturali[sz]\w*|(?:acquir\w*|acquisition\s+of|grant\w*|"
    r"confer\w*|deprivation\s+of|depriv\w+\s+(?:\w+\s+){0,3}of|loss\s+of|lose|restor\w*|right\s+to(?:\s+a)?|"
    r"access\s+to|obtain\w*)\s+(?:\w+\s+){0,2}?(?:nationality|citizenship))\b",
    re.I,
)


def analyse_texts(
    texts: Sequence[str],
    *,
    use_model: bool = True,
    vocabulary: dict[str, list[str]] | None = None,
) -> list[Analysis]:
    """Return the analysis of each text, in order.

    *vocabulary* is a State's own words per group of persons (`persons.load_vocabulary`).
    """
    actions = classify_actions(texts, use_model=use_model)
    results = []
    for text, action in zip(texts, actions, strict=True):
        operative = operative_text(text)
        groups = find_groups(text, operative, vocabulary)
        holders = rights_holders(groups)
        stated = stated_rights_holders(text)
        detail = find_detail(text)
        themes = find_themes(text)
        # Read on the whole text: a treaty body paragraph's "(c) Adopt a law ..." asks for an
        # act even when its opening "adopt measures" does not, and "Continue ... through the
        # adoption of a national plan" asks for one; hedged acts ("consider ...") are not.
        concrete = find_concrete_action(text)
        # "Refugee" in the "Immigration and Refugee Protection Act" is no refugee.
        protection = find_protection(strip_names(text))
        # Protection relevance follows from the groups found: a recommendation about
        # stateless, displaced or refugee persons is protection-relevant (issue 14 §2).
        if not protection and {g for g, _ in groups} & PROTECTION_GROUPS:
            plain = strip_names(text)
            protection = next(
                (
                    f"{g} ('{w}')"
                    for g, w in find_groups(plain, None, vocabulary)
                    if g in PROTECTION_GROUPS
                    and (
                        g != "Stateless persons"
                        or "(your vocabulary)" in w
                        or _STATELESSNESS.search(plain)
                    )
                ),
                "",
            )
        if not protection:
            instrument = find_protection_instrument(text)
            protection = f"instrument ('{instrument}')" if instrument else ""
        reasons = [f"action: {action.reason}"]
        reasons.append(
            f"concrete action: '{concrete}'" if concrete else "concrete action: none asked"
        )
        reasons.extend(f"{kind}: '{words}'" for kind, words in detail)
        if stated:
            reasons.append("rights-holders: " + ", ".join(f"'{w}'" for w in stated))
        else:
            reasons.append("rights-holders: none named")
        others = [(g, w) for g, w in groups if (g, w) not in holders]
        if others:
            reasons.append("duty-bearers: " + ", ".join(f"{g} ('{w}')" for g, w in others))
        if protection:
            reasons.append(
                f"protection: {protection}" if "(" in protection else f"protection: '{protection}'"
            )
        theme_names = [name for name, _ in themes]
        results.append(
            Analysis(
                action_category=action.category,
                action_verb=action.verb,
                concrete_action=bool(concrete),
                rights_holders_stated=bool(stated),
                detail=tuple(kind for kind, _ in detail),
                affected_persons=tuple(name for name, _ in groups),
                themes=tuple(theme_names),
                sdg_goals=tuple(find_sdg_goals(text, theme_names)),
                protection_relevant=bool(protection),
                reasons=tuple(reasons),
                confidence=action.confidence,
            )
        )
    return results


def analyse_one(text: str) -> Analysis:
    return analyse_texts([text])[0]


class RuleAnalyser:
    """The built-in analyser, through the registry's interface: `predict(texts) -> list[Labelled]`.

    Labels: the action category, groups of persons, themes and SDG goals, each with the reason
    and a confidence: the model's for the action category, and for the others the rule's
    precision measured on OHCHR's labels (`calibration.py`). It needs no fitting.
    """

    kind = "builtin"
    label = "Built-in rules and action-category model"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed

    def fit(self, texts: Sequence[RecText]) -> RuleAnalyser:
        return self

    def predict(self, texts: Sequence[RecText]) -> list[Labelled]:
        labels: list[Labelled] = []
        for rec, result in zip(texts, analyse_texts([t.text for t in texts]), strict=True):
            labels.append(
                Labelled(
                    rec.id,
                    ACTION_CATEGORIES,
                    str(result.action_category),
                    result.confidence,
                    result.reasons[0],
                )
            )
            labels.extend(
                Labelled(rec.id, GROUPS_OF_PERSONS, g, confidence(GROUPS_OF_PERSONS, g), "keyword")
                for g in result.affected_persons
            )
            labels.extend(
                Labelled(rec.id, THEMES, t, confidence(THEMES, t), "keyword") for t in result.themes
            )
            labels.extend(
                Labelled(rec.id, SDG_GOALS, str(g), confidence(SDG_GOALS, str(g)), "from themes")
                for g in result.sdg_goals
            )
        return labels
