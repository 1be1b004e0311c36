"""Groups of persons (UHRI current list) named or clearly meant by a recommendation.

Each group has a few patterns; the reason shown is the words that matched. Names are those of
`data/taxonomies/groups_of_persons.csv`.

"Public officials" only when officials are named (issue 14 §2): one OHCHR matrix tags it on
253 of 254 recommendations, as the duty-bearers of every recommendation to the State; a
suggestion on everything tells a reviewer nothing, so we no longer copy that convention.

General patterns hold no country's own words (its minorities' names, Slovenia's "erased"); a
State's own vocabulary is data the user gives (`find_groups(..., vocabulary={group: [words]})`,
`load_vocabulary(path)` for a CSV of `group,words`).
"""

from __future__ import annotations

import re

from rightstrack.engine.analyse.detail import BODY_HEADS, INSTRUMENT_HEADS, named_spans

WOMEN = "Women & girls"
CHILDREN = "Children"
CHILDREN_VULNERABLE = "Children in vulnerable situations (abused, living on the street, institutionalized, indigenous, migrant children etc.)"
MINORITIES = "Minorities/ racial, ethnic, linguistic, religious or descent-based groups"
PUBLIC_OFFICIALS = "Public officials"
LGBTI = "Lesbian, gay, bisexual and transgender and intersex persons (LGBTI)"

_GROUP_PATTERNS: dict[str, str] = {
    WOMEN: r"wom[ae]n|girls?|gender equality|gender-based|female|mothers?|maternal|pregnan\w*|domestic violence|sexual violence|gender-based|feminicide|femicide|rape|widows?|genital mutilation|\bfgm\b|sexual and reproductive|reproductive health|abortion|cedaw|sexual harassment",
    CHILDREN: r"child(?:ren)?(?:'s)?|girls?|boys?|minors?|juvenile|adolescen\w*|infants?|birth registration|\bcrc\b|corporal punishment|early marriage|child marriage|orphans?",
    CHILDREN_VULNERABLE: r"street children|children (?:in|living (?:in|on)) (?:the )?streets?|unaccompanied|separated children|child labou?r|child soldiers?|(?:abused|institutionali[sz]ed|migrant|refugee|asylum-seeking|roma|indigenous|disabled|trafficked) children|children (?:with disabilities|in (?:care|institutions|detention|alternative care|conflict with the law))|sexual exploitation of children|child (?:abuse|pornography|prostitution|trafficking|victims)|corporal punishment|alternative care|foster care|juvenile justice",
    "Youth & juveniles": r"youth|young (?:people|persons|women|men)|juvenile|adolescen\w*",
    "Older persons": r"older (?:persons|people|women|men)|elderly|the aged\b|ageing|aging|pension(?:er)?s?",
    "Persons with disabilities": r"disabilit\w*|disabled|\bcrpd\b|handicap\w*|mental(?:ly)? (?:ill|health)|intellectual|psychosocial|deaf|blind|wheelchair",
    "Migrants": r"migra\w*|foreigners?|immigra\w*|domestic workers?|undocumented|irregular (?:status|situation)|remittances",
    "Refugees & asylum seekers": r"refugees?|asylum|non-refoulement|refoulement|\bunhcr\b|1951 convention",
    "Internally displaced persons": r"internally displaced|\bidps?\b|displaced persons|displacement|displaced",
    "Stateless persons": r"statelessness|stateless|nationality|citizenship|birth registration|1954 convention|1961 convention",
    "Non-citizens": r"non-citizens?|non-nationals?|foreign(?:ers| nationals)|permanent residen\w*|residence permits?",
    MINORITIES: r"minorit\w*|ethnic\w*|racial|racism|racist|xenophob\w*|roma\b|romani|sinti|travell?ers|gyps(?:y|ies)|caste|descent|afro-\w+|people of african descent|\bcerd\b|religious groups|linguistic|national origin|hate (?:speech|crimes?)|muslims?|jews|jewish|antisemit\w*|islamophob\w*",
    "Roma, Gypsies, Sinti & Travellers": r"\broma\b|romani|sinti|travell?ers|gyps(?:y|ies)",
    "Indigenous peoples": r"indigenous|aborigin\w*|first nations|native peoples?|tribal",
    LGBTI: r"lgbt\w*|lesbian|gay|bisexual|transgender|intersex|sexual orientation|gender identity|same-sex|homosexual\w*|homophob\w*|transphob\w*",
    "Persons living in poverty": r"povert\w*|\bpoor\b|low-income|low income|social exclusion|deprived|homeless\w*|social assistance|marginali[sz]ed",
    "Persons living in rural areas": r"rural|remote areas|villages?|countryside|peasants?|farmers?",
    "Persons living with HIV/AIDS": r"\bhiv\b|aids\b",
    "Persons deprived of their liberty & detainees": r"detain\w*|detention|prisons?|prisoners?|inmates?|deprived of (?:their )?liberty|custody|incarcerat\w*|penitentiar\w*|places of deprivation|pre-trial|overcrowding",
    "Disappeared persons": r"disappear\w*|missing persons",
    "Persons affected by armed conflict": r"armed conflict|conflict-affected|war\b|hostilities|combatants?|landmines?|ceasefire|civilian population|civilians|post-conflict|humanitarian law",
    "Human rights defenders": r"human rights defenders?|defenders|activists?",
    "Civil society": r"civil society|non-governmental|\bngos?\b|community organi[sz]ations",
    "Media": r"journalists?|media|press\b|bloggers?|reporters?",
    "Judges, lawyers and prosecutors": r"judges?|judiciary|judicial|lawyers?|prosecutors?|legal profession|bar association|courts?\b|magistrates?",
    "Law enforcement / police & prison officials": r"police|law enforcement|security forces|prison (?:staff|officials|guards|personnel)|border guards?|officers|gendarme\w*|military|armed forces",
    "Medical staff / health professionals": r"medical (?:staff|personnel|professionals)|health (?:professionals|workers|personnel|care workers|staff)|doctors|nurses|midwives|physicians",
    "Educational staff & students": r"teachers?|educators?|students?|pupils?|school staff|university|curricul\w*|educational staff",
    PUBLIC_OFFICIALS: r"public officials|civil servants?|officials|public servants?|officers|public administration|state agents|government employees|authorities responsible",
    "Vulnerable persons/groups": r"vulnerable|disadvantaged|marginali[sz]ed",
}

# Bigger patterns first so "street children" stays readable in the reasons.
_COMPILED = {
    # The closing \b keeps "minors" from matching "minority" and "aids" from "aidsfor".
    name: re.compile(r"\b(?:" + pattern + r")\b", re.I)
    for name, pattern in _GROUP_PATTERNS.items()
}

#: Groups that count as "rights-holders stated"; officials and civil society are duty-bearers
#: or intermediaries, not the persons a recommendation benefits.
_NOT_RIGHTS_HOLDERS = frozenset(
    (
        PUBLIC_OFFICIALS,
        "Judges, lawyers and prosecutors",
        "Law enforcement / police & prison officials",
        "Medical staff / health professionals",
        "Civil society",
    )
)


JUDGES = "Judges, lawyers and prosecutors"
POLICE = "Law enforcement / police & prison officials"
VULNERABLE = "Vulnerable persons/groups"

#: Groups OHCHR's coders attach to a subject even when the text names no group, following the
#: current (2022-) UHRI convention of the cycle-4 matrices: racism concerns minorities;
#: trafficking and victims concern vulnerable persons; prosecution and impunity involve judges,
#: prosecutors and police; prisons involve prison officials; the migrant workers' convention
#: concerns migrants. Cycles 2-3 followed other habits
#: (trafficking -> women and children), see docs/analysis.md.
_IMPLIED: tuple[tuple[re.Pattern[str], tuple[str, ...]], ...] = tuple(
    (re.compile(pattern, re.I), groups)
    for pattern, groups in (
        (r"\b(?:racism|racist|racial)", (MINORITIES,)),
        (r"\btraffick\w*|\bvictims?\b", (VULNERABLE,)),
        (
            r"\b(?:prosecut\w*|perpetrators?|punish\w*|impunity|criminal justice|bring\w* to justice|sanction\w*)",
            (JUDGES, POLICE),
        ),
        (r"\b(?:prisons?|detention|overcrowding|penitentiar\w*)\b", (POLICE,)),
        (r"\b(?:icrmw|migrant workers|domestic workers)", ("Migrants",)),
    )
)


ADDRESSED_TO_STATE = "addressed to the State's officials (OHCHR convention)"
# Who a recommendation is addressed to, read at the start of its operative text.
_ADDRESSED_TO_OTHERS = re.compile(
    r"^(?:call\w*\s+(?:up)?on\s+)?(?:the\s+)?(?:international\s+community|donors?|"
    r"(?:all\s+)?(?:other\s+)?(?:member\s+)?states\b|development\s+partners|united\s+nations)",
    re.I,
)


def load_vocabulary(path: str, *, check: bool = False) -> dict[str, list[str]]:
    """Read a State's own words for groups of persons: CSV rows `group,words` ("Stateless
    persons,erased persons|erasure"); lines starting with "#" are comments.

    Without *check* a missing file gives {}. With it, a missing file, a row without words or a
    group that is not in the current list raises InputError naming the file, row and field.
    """
    import csv
    from pathlib import Path

    from rightstrack.engine.taxonomies import find_term
    from rightstrack.formats.exceptions import InputError

    vocabulary: dict[str, list[str]] = {}
    file = Path(path)
    if not file.is_file():
        if check:
            raise InputError(f"{path}: no such vocabulary file")
        return vocabulary
    with file.open(encoding="utf-8", newline="") as fp:
        for number, row in enumerate(csv.reader(fp), start=1):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            group = row[0].strip()
            words = [w.strip() for w in (row[1] if len(row) > 1 else "").split("|") if w.strip()]
            if check:
                if group.lower() == "group" and number == 1:
                    continue
                if find_term("groups_of_persons", group) is None:
                    raise InputError(
                        f"{path}: row {number}, field group: {group!r} is not a group of persons "
                        "of the current list (docs/analysis.md, Taxonomies)"
                    )
                if not words:
                    raise InputError(f"{path}: row {number}, field words: no words given")
            if words:
                vocabulary.setdefault(group, []).extend(words)
    return vocabulary


def find_groups(
    text: str, operative: str | None = None, vocabulary: dict[str, list[str]] | None = None
) -> list[tuple[str, str]]:
    """Return (group, matched words) for each group of persons *text* names, in taxonomy order.

    *vocabulary* adds a State's own words per group ({"Stateless persons": ["erased"]}).
    *operative* is accepted for compatibility; "Public officials" is no longer added to every
    recommendation addressed to the State.
    """
    matched: dict[str, str] = {}
    for name, words in (vocabulary or {}).items():
        for word in words:
            m = re.search(rf"\b{re.escape(word)}\b", text, re.I)
            if m:
                matched.setdefault(name, f"{m.group(0)} (your vocabulary)")
                break
    for name, pattern in _COMPILED.items():
        m = pattern.search(text)
        if m:
            matched[name] = m.group(0)
    for pattern, groups in _IMPLIED:
        m = pattern.search(text)
        if m:
            for name in groups:
                matched.setdefault(name, f"{m.group(0)} (implies)")
    order = list(_COMPILED) + [n for n in matched if n not in _COMPILED]
    return [(name, matched[name]) for name in order if name in matched]


def rights_holders(groups: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Return the groups that are rights-holders (not officials, courts or intermediaries)."""
    return [(g, w) for g, w in groups if g not in _NOT_RIGHTS_HOLDERS]


# --- rights-holders stated (the seed's question) ---------------------------------------------

#: Persons a recommendation names as the ones who are to benefit. Topic words are not persons:
#: "rural", "media", "racial", "trafficking", "disappearance", "vulnerable groups" with no
#: group named; nor are duty-bearers (officials, judges, police, teachers as trainees).
_PERSONS = re.compile(
    r"\b(?:wom[ae]n|girls?|boys?|child(?:ren)?|minors?|adolescents?|infants?|youth|"
    r"young\s+(?:people|persons|women|men)|students|pupils|"
    r"(?:persons|people|adults|parents|employees|workers)\s+with\s+(?:\w+\s+){0,4}?disabilit\w+|"
    r"disabled\s+persons|(?:deaf|blind|autistic|deafblind|deaf-blind)\s+persons|"
    r"older\s+(?:persons|people|women|men)|the\s+elderly|elderly\s+persons|"
    r"migrants?|migrant\s+workers|immigrants|refugees|asylum[- ]seekers?|stateless\s+persons|"
    r"(?:internally\s+)?displaced\s+persons|persons\s+displaced|returnees|idps|"
    r"roma|sinti|travellers|minorities|minority\s+(?:groups|communities|children|women)|"
    r"indigenous\s+(?:peoples?|persons|communities|women|children)|people\s+of\s+african\s+descent|"
    r"lgbti?\w*(?:\s+persons)?|lesbian|gay|bisexual|transgender|intersex|same-sex\s+couples|"
    r"homosexual\s+couples|victims?|survivors|detainees|prisoners|inmates|"
    r"persons\s+(?:deprived|detained|in\s+detention|who|with|belonging|living|affected|found|"
    r"facing|exempt|in\s+situations|in\s+need|of\s+(?:african|roma))|"
    r"human\s+rights\s+defenders|journalists|trade\s+unionists|workers|domestic\s+workers|"
    r"families|parents|caregivers|mothers|widows|citizens|non-citizens|non-nationals|"
    r"residents|homeless\s+persons|(?:national|ethnic|religious|linguistic)\s+minority|"
    r"persons\s+living\s+in\s+poverty|the\s+poor|peasants|farmers|fishers|"
    r"ethnic\s+(?:groups|communities)|religious\s+(?:groups|communities|minorities)|"
    r"personnes|enfants|femmes|filles|migrants|réfugiés|autochtones|"
    r"niñ[oa]s|mujeres|personas)\b",
    re.I,
)
#: Names of instruments and bodies, whose words ("Persons with Disabilities Act", "Committee on
#: the Rights of the Child", "Convention on the Reduction of Statelessness") are no persons.
_NAME_HEADS = re.compile(rf"\b(?:{INSTRUMENT_HEADS}|{BODY_HEADS})s?\b")
_OTHER_NAMES = re.compile(
    r"\borgani[sz]ations\s+(?:of|representing)\s+persons\s+with\s+(?:\w+\s+){0,3}disabilities"
    r"|\btrafficking\s+in\s+(?:human\s+beings|persons)",
    re.I,
)


def _strip_named(text: str) -> str:
    spans = [(a, b) for a, b, named in named_spans(text, _NAME_HEADS) if named or b > a]
    if not spans:
        return _OTHER_NAMES.sub(" ", text)
    out, last = [], 0
    for a, b in sorted(spans):
        if a < last:
            a = last
        out.append(text[last:a])
        out.append(" ")
        last = max(last, b)
    out.append(text[last:])
    return _OTHER_NAMES.sub(" ", "".join(out))


#: Persons qualified by a word in quotes: '"erased" persons' (a State's own term, unnamed here).
_QUOTED_PERSONS = re.compile(
    r"[”\"’]\s+(?:persons|people)\b|[“\"‘]\w+(?:\s+\w+)?\s+(?:persons|people)[”\"’]"
)


def strip_names(text: str) -> str:
    """Return *text* without the names of instruments and bodies (their words are no topic)."""
    return _strip_named(text)


def stated_rights_holders(text: str) -> list[str]:
    """Return the words naming the persons *text* is for, in order; [] when it names none."""
    plain = _strip_named(text)
    seen: list[str] = [m.group(0).strip(' ”"’') for m in _QUOTED_PERSONS.finditer(plain)][:1]
    for m in _PERSONS.finditer(plain):
        words = m.group(0)
        if words.lower() not in (w.lower() for w in seen):
            seen.append(words)
    return seen


def _rule_groups(text: str) -> set[str]:
    return {name for name, _ in find_groups(text)}


class GroupModel:
    """Groups of persons from the general rules, adjusted by a model fitted on labelled
    recommendations (`learned.RuleBackedModel`); `fit(texts, groups, folds)`, `predict(texts)`."""

    def __init__(self) -> None:
        from rightstrack.engine.analyse.learned import RuleBackedModel

        self._model = RuleBackedModel(_rule_groups)

    def fit(self, texts, groups, folds=None) -> GroupModel:  # type: ignore[no-untyped-def]
        self._model.fit(texts, groups, folds)
        return self

    def predict(self, texts) -> list[set[str]]:  # type: ignore[no-untyped-def]
        return self._model.predict(texts)  # type: ignore[return-value]
