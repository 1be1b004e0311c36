"""Action category (UPR Info's 1-5 scale) and the operative verb that decides it.

Two layers, both explainable:
1. Rules on the leading operative verb (after any preamble such as "The Committee recommends
   that the State party:" or "(a)"): "continue" -> 2, "consider" -> 3, "ratify" -> 5, "seek
   assistance" -> 1. Where UPR Info's coders are consistent (see docs/analysis.md) the rule
   decides alone.
2. For the verbs whose category depends on their object and on what follows ("adopt measures"
   is general, "adopt a law" specific; "take measures to ..., including by repealing ..."), a
   linear model trained on UPR Info sessions 1-10 decides, with its confidence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rightstrack.engine.analyse.model import LoadedModel, load_model, score_texts

CATEGORY_NAMES = {
    1: "minimal action",
    2: "continuing action",
    3: "considering action",
    4: "general action",
    5: "specific action",
}

# Preambles of treaty body, special procedures and UPR texts, removed before reading the verb.
_PREAMBLE = re.compile(
    r"""^\s*(?:
        (?:\(?[a-z0-9]{1,4}[.)]\s+)                                   # (a)  12.  118.5
      | (?:\d+(?:\.\d+)+\s+)
      | (?:(?:the\s+)?(?:committee|sub-?committee|working\s+group|special\s+rapporteur|independent\s+expert|expert\s+mechanism|mission|rapporteur|high\s+commissioner|council)\b[^:;]{0,80}?
            \b(?:recommends?|urges?|calls?\s+(?:up)?on|encourages?|requests?|invites?|reiterates?|recalls?|asks?)\b(?:\s+(?:its\s+previous\s+recommendation|strongly|also|further|again))*
            (?:\s+(?:that\s+)?(?:the\s+)?(?:state\s+party|states?\s+parties|government|authorities|state|country)(?:\s+(?:should|shall|to))?)?[\s:,]*)
      | (?:(?:the\s+)?(?:state\s+party|government|authorities)\s+(?:should|must|is\s+urged\s+to|is\s+encouraged\s+to|is\s+requested\s+to)[\s:,]*)
      | (?:(?:it\s+is\s+)?recommend(?:ed|s)?\s+(?:that\s+)?(?:the\s+)?(?:state\s+party|government|authorities|state|country)?(?:\s+(?:should|to))?[\s:,]*)
      | (?:we\s+recommend\s+(?:that\s+)?(?:the\s+)?(?:government|state)?[\s:,]*)
      | (?:that\s+(?:the\s+)?(?:state\s+party|government|authorities|country|state)?(?:\s+should)?\s*)
      | (?:to\s+)
    )""",
    re.I | re.X,
)
_SPACE = re.compile(r"\s+")


# Treaty bodies and special procedures often open with a clause before the recommending phrase
# ("Recalling its general comment No. 1, the Committee recommends that the State party repeal")
# and put circumstances between the addressee and the verb ("..., in close cooperation with
# organizations of persons with disabilities: (a) Adopt"). UPR texts never name the Committee.
_RECOMMENDER = re.compile(
    r"\b(?:the\s+)?(?:committee|sub-?committee|working\s+group|special\s+rapporteur|"
    r"independent\s+expert|expert\s+mechanism|mission)\b[^:;.]{0,80}?\b(?:recommends?|urges?|"
    r"calls?\s+(?:up)?on|encourages?|requests?|invites?)\b(?:\s+(?:also|further|strongly|again))*",
    re.I,
)
_ADDRESSEE = re.compile(
    r"^[\s,:]*(?:that\s+)?(?:the\s+)?(?:state\s+party|states?\s+parties|government|authorities)\b"
    r"|^\s*:",
    re.I,
)
_CIRCUMSTANCE = re.compile(
    r"^\s*,\s*(?:in\s+(?:close\s+)?(?:cooperation|consultation|collaboration|coordination)|"
    r"through|with\s+the\s+(?:active\s+|full\s+)?(?:participation|involvement|support)|"
    r"in\s+line\s+with|in\s+accordance\s+with|in\s+conformity\s+with|as\s+a\s+matter\s+of|"
    r"taking\s+into\s+account|in\s+the\s+light\s+of|bearing\s+in\s+mind|guided\s+by)\b"
    r"[^:;]{0,300}?[,:]\s*",
    re.I,
)
_ADDRESSEE_LINK = re.compile(r"^\s*(?:should|shall|must|to)\b\s*", re.I)


def _skip_recommending_phrase(text: str) -> str:
    """Return *text* after "the Committee recommends that the State party, <circumstance>,"."""
    found = _RECOMMENDER.search(text[:600])
    if not found:
        return text
    rest = text[found.end() :]
    addressee = _ADDRESSEE.match(rest)
    if not addressee:
        return text
    rest = _CIRCUMSTANCE.sub("", rest[addressee.end() :], count=1)
    return _ADDRESSEE_LINK.sub("", rest.lstrip(" ,:"), count=1)


def operative_text(text: str) -> str:
    """Return *text* from its first operative verb on, without preambles or list markers."""
    current = _skip_recommending_phrase(_SPACE.sub(" ", text).strip()).strip()
    for _ in range(4):
        stripped = _PREAMBLE.sub("", current, count=1)
        if stripped == current:
            break
        current = stripped.strip()
    return current


@dataclass(frozen=True)
class Rule:
    category: int
    pattern: re.Pattern[str]
    #: True when UPR Info's coders follow it almost always (decides without the model).
    decisive: bool


def _rule(category: int, pattern: str, decisive: bool = True) -> Rule:
    return Rule(
        category,
        re.compile(
            r"^(?:(?:further|fully|also|effectively|urgently|promptly|immediately|swiftly|quickly|duly|actively|seriously|formally)\s+)*("
            + pattern
            + r")\b",
            re.I,
        ),
        decisive,
    )


#: Ordered: the first rule that matches the start of the operative text decides.
RULES: tuple[Rule, ...] = (
    _rule(
        1,
        r"seek(?:ing)?\s+(?:\w+\s+){0,4}?(?:technical\s+)?(?:assistance|support|cooperation|help)|share\s+(?:its|their|the)?\s*(?:\w+\s+)?(?:experience|experiences|best\s+practices?|good\s+practices?|expertise|knowledge|lessons)|share|request\s+(?:technical\s+)?assistance|call\s+(?:up)?on\s+the\s+international\s+community|(?:the\s+)?international\s+community\s+(?:should|to)",
    ),
    # "Continue and strengthen ..." is often coded general (4): the model decides.
    _rule(
        2,
        r"continue|continuing|persevere|persist|maintain|pursue|keep\s+up|keep\s+on|sustain|carry\s+on|go\s+on",
        decisive=False,
    ),
    _rule(
        3,
        r"consider|considering|envisage|explore|reflect\s+(?:up)?on|study\s+the\s+possibility|examine\s+the\s+possibility|look\s+into\s+the\s+possibility|give\s+(?:\w+\s+)?consideration|review\s+the\s+possibility|think\s+about|assess\s+the\s+possibility",
    ),
    _rule(
        5,
        r"ratify|ratifying|accede|acceding|sign\s+and\s+ratify|sign|become\s+(?:a\s+)?(?:state\s+)?party|amend|repeal|abolish|enact|withdraw|criminali[sz]e|decriminali[sz]e|issue\s+(?:a\s+|an\s+)?(?:open\s+and\s+)?standing\s+invitation|extend\s+(?:a\s+|an\s+)?(?:open\s+and\s+)?standing\s+invitation|(?:issue|extend)\s+(?:an?\s+)?(?:open\s+)?invitation|accept\s+the\s+(?:request|visit)|release|lift|declare\s+a\s+moratorium|adopt\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){0,3}?(?:law|laws|legislation|bill|act|code|moratorium)",
    ),
    # Specific in most UPR Info codings, general in some (e.g. "establish mechanisms"): the model decides.
    _rule(
        5,
        r"investigate|prosecute|bring\s+to\s+justice|submit|incorporate|adopt\s+(?:a\s+|an\s+|the\s+)?(?:\w+\s+){0,3}?(?:definition|national\s+action\s+plan|plan)|establish\s+a\s+moratorium|establish|set\s+up|create|introduce\s+(?:a\s+|the\s+)?(?:\w+\s+){0,2}?(?:law|legislation|bill|moratorium)",
        decisive=False,
    ),
    _rule(
        4,
        r"take|taking|ensure|ensuring|guarantee|promote|strengthen|intensify|address|enhance|step\s+up|improve|increase|redouble|reinforce|respect|protect|combat|fight|raise\s+awareness|make\s+(?:\w+\s+)?efforts?|adopt\s+(?:all\s+)?(?:the\s+)?(?:necessary\s+|appropriate\s+|effective\s+|further\s+|additional\s+|concrete\s+|specific\s+)*(?:measures|steps|policies|policy|strategies|approach)|allocate|work|accelerate|prevent|eliminate|eradicate|combat|support|encourage|facilitate|provide|develop|implement|give|guarantee|foster|uphold|comply|harmonize|harmonise|align|end|put\s+an\s+end|put\s+in\s+place|undertake|make|bring|improve|expand",
        decisive=False,
    ),
)


@dataclass(frozen=True)
class ActionResult:
    category: int
    verb: str
    reason: str
    confidence: float


def match_rule(operative: str) -> tuple[Rule, str] | None:
    """Return the first rule matching the start of *operative*, with the matched phrase."""
    for rule in RULES:
        m = rule.pattern.match(operative)
        if m:
            return rule, _SPACE.sub(" ", m.group(1).lower())
    return None


_LEAD_WORDS = re.compile(r"[A-Za-z][A-Za-z'-]*")


def leading_phrase(operative: str) -> str:
    """Return the first word or two of *operative*: the phrase shown when no rule matched."""
    words = _LEAD_WORDS.findall(operative)[:2]
    return " ".join(w.lower() for w in words)


def _softmax(scores: Sequence[float]) -> list[float]:
    top = max(scores)
    exps = [math.exp(2.0 * (s - top)) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def classify_actions(
    texts: Sequence[str], *, use_model: bool = True, model: LoadedModel | None = None
) -> list[ActionResult]:
    """Return the action category of each text, with the deciding verb and a readable reason.

    *model* replaces the shipped weights (the evaluation passes one trained on earlier sessions).
    """
    operatives = [operative_text(t) for t in texts]
    matches = [match_rule(o) for o in operatives]
    if model is None and use_model:
        model = load_model()
    undecided = [i for i, m in enumerate(matches) if m is None or not m[0].decisive]
    scores = (
        score_texts(model, [operatives[i] for i in undecided]) if (model and undecided) else None
    )
    row_of = {i: n for n, i in enumerate(undecided)}
    results = []
    for i, (operative, match) in enumerate(zip(operatives, matches, strict=True)):
        if match is not None and match[0].decisive:
            rule, phrase = match
            results.append(
                ActionResult(
                    rule.category,
                    phrase,
                    f"rule: starts with '{phrase}' -> {CATEGORY_NAMES[rule.category]}",
                    0.95,
                )
            )
            continue
        phrase = match[1] if match else leading_phrase(operative)
        if scores is not None and model is not None:
            probs = _softmax(list(scores[row_of[i]]))
            best = max(range(len(probs)), key=probs.__getitem__)
            category = int(model.classes[best])
            results.append(
                ActionResult(
                    category,
                    phrase,
                    f"model: '{phrase}' and what follows -> {CATEGORY_NAMES[category]} ({probs[best]:.2f})",
                    round(probs[best], 3),
                )
            )
        elif match is not None:
            results.append(
                ActionResult(
                    match[0].category,
                    phrase,
                    f"rule: starts with '{phrase}' -> {CATEGORY_NAMES[match[0].category]}",
                    0.6,
                )
            )
        else:
            results.append(
                ActionResult(
                    4,
                    phrase,
                    f"no known operative verb; '{phrase}' read as {CATEGORY_NAMES[4]}",
                    0.3,
                )
            )
    return results
