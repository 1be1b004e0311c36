"""Today's rules, loaded by migration 0002 and by `load_default_rules()` (pure data).

Each rule names its source. They are a starting point an administrator checks and edits (the
admin, or the Procedures page): a committee that changes its working methods gets a new row
from the day the change applies, and the old row keeps dating the older documents.
"""

from __future__ import annotations

from typing import Any

OHCHR_FOLLOW_UP = "https://www.ohchr.org/en/treaty-bodies/follow-procedure"

#: Treaty body follow-up rules: body, from, to, runs it, paragraphs, reply months, grading,
#: simplified reporting by default, source, note.
FOLLOW_UP_RULES: list[dict] = [
    {
        "body_code": "CCPR",
        "valid_from": "2001-07-01",
        "valid_to": "2013-07-31",
        "paragraphs_min": 2,
        "paragraphs_max": 5,
        "reply_months": 12,
        "grading": "letters_sub",
        "simplified_reporting": False,
        "source": "Human Rights Committee, follow-up procedure adopted at its 71st session "
        "(2001); grades A, B1, B2, C1, C2, D1, D2, E (A/65/40, vol. I, annex)",
        "note": "Older assessments use the sub-grades.",
    },
    {
        "body_code": "CCPR",
        "valid_from": "2013-08-01",
        "paragraphs_min": 2,
        "paragraphs_max": 4,
        "reply_months": 12,
        "grading": "letters",
        "simplified_reporting": True,
        "source": "Human Rights Committee, note on the procedure for follow-up to concluding "
        "observations, CCPR/C/108/2 (2013): grades A to E",
    },
    {
        "body_code": "CAT",
        "valid_from": "2003-05-01",
        "paragraphs_min": 2,
        "paragraphs_max": 4,
        "reply_months": 12,
        "grading": "letters",
        "simplified_reporting": True,
        "source": "Committee against Torture, follow-up procedure (30th session, 2003); "
        "guidelines for follow-up to concluding observations, CAT/C/55/3 (2015)",
    },
    {
        "body_code": "CERD",
        "valid_from": "2004-08-01",
        "paragraphs_min": 2,
        "paragraphs_max": 4,
        "reply_months": 12,
        "grading": "letters",
        "simplified_reporting": True,
        "source": "Committee on the Elimination of Racial Discrimination, follow-up procedure "
        "(65th session, 2004); guidelines CERD/C/85/2 (2014)",
    },
    {
        "body_code": "CEDAW",
        "valid_from": "2008-07-01",
        "paragraphs_min": 2,
        "paragraphs_max": 4,
        "reply_months": 24,
        "grading": "letters",
        "simplified_reporting": True,
        "source": "Committee on the Elimination of Discrimination against Women, follow-up "
        "procedure (41st session, 2008); methodology of the follow-up procedure, "
        "CEDAW/C/62/3 (2015): information within two years",
    },
    {
        "body_code": "CED",
        "valid_from": "2013-01-01",
        "paragraphs_min": 2,
        "paragraphs_max": 4,
        "reply_months": 12,
        "grading": "letters",
        "simplified_reporting": False,
        "source": "Committee on Enforced Disappearances, rules of procedure and methods of "
        "work (CED/C/1): follow-up information within one year",
    },
    {
        "body_code": "CMW",
        "valid_from": "2011-01-01",
        "paragraphs_min": 2,
        "paragraphs_max": 4,
        "reply_months": 24,
        "grading": "letters",
        "simplified_reporting": True,
        "source": "Committee on Migrant Workers, follow-up procedure: information within two "
        "years (OHCHR, treaty body follow-up procedure)",
    },
    {
        "body_code": "CESCR",
        "valid_from": "2016-01-01",
        "paragraphs_min": 2,
        "paragraphs_max": 3,
        "reply_months": 24,
        "grading": "implementation",
        "simplified_reporting": True,
        "source": "Committee on Economic, Social and Cultural Rights, follow-up procedure "
        "(2016): information on up to three recommendations within 24 months",
    },
    {
        "body_code": "CESCR",
        "valid_from": "1990-01-01",
        "valid_to": "2015-12-31",
        "runs_follow_up": False,
        "grading": "none",
        "source": "CESCR ran no written follow-up procedure on concluding observations before 2016",
    },
    {
        "body_code": "CRPD",
        "valid_from": "2011-04-01",
        "paragraphs_min": 2,
        "paragraphs_max": 3,
        "reply_months": 12,
        "grading": "implementation",
        "simplified_reporting": True,
        "source": "Committee on the Rights of Persons with Disabilities, concluding "
        "observations: written information within 12 months on the paragraphs selected "
        "(e.g. CRPD/C/SVN/CO/1, 2018, para. 62)",
    },
    {
        "body_code": "CRC",
        "valid_from": "1991-01-01",
        "runs_follow_up": False,
        "grading": "none",
        "simplified_reporting": True,
        "source": "Committee on the Rights of the Child: no written follow-up procedure; "
        "urgent measures are named in the concluding observations",
    },
    {
        "body_code": "SPT",
        "valid_from": "2007-01-01",
        "runs_follow_up": False,
        "grading": "none",
        "source": "Subcommittee on Prevention of Torture: confidential visit reports, no "
        "public follow-up procedure",
    },
]

UPR_RULES: list[dict] = [
    {
        "valid_from": "2008-01-01",
        "midterm_months": 30,
        "adoption_months": 4,
        "cycle_months": 54,
        "source": "Human Rights Council resolution 16/21 (2011), annex, para. 18 and decision "
        "17/119: States are encouraged to provide a voluntary mid-term update; OHCHR "
        "recommends it about two and a half years after the adoption; cycles of four and a "
        "half years",
        "source_url": "https://www.ohchr.org/en/hr-bodies/upr/mid-term-reports",
    },
]


def load_rules(follow_up_rule: Any, upr_rule: Any, using: str = "default") -> None:
    """Create today's rules that are missing (by body and start date); idempotent.

    Takes the model classes so that migration 0002 can pass its historical models.
    """
    for data in FOLLOW_UP_RULES:
        fields = {k: v for k, v in data.items() if k not in ("body_code", "valid_from")}
        follow_up_rule.objects.using(using).get_or_create(
            body_code=data["body_code"], valid_from=data["valid_from"], defaults=fields
        )
    for data in UPR_RULES:
        fields = {k: v for k, v in data.items() if k != "valid_from"}
        upr_rule.objects.using(using).get_or_create(valid_from=data["valid_from"], defaults=fields)
