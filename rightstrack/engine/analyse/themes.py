"""UHRI themes and SDG goals, from keyword patterns with the matched words as the reason.

The patterns cover the themes that recur in UPR and treaty body recommendations; theme names
are those of `data/taxonomies/uhri_themes.csv`. SDG goals follow from the themes (as OHCHR's
matrices link them) and from a few direct keywords.
"""

from __future__ import annotations

import re

_THEME_PATTERNS: dict[str, str] = {
    "Ratification of & accession to international instruments": r"ratif\w*|accede|accession|become a party|optional protocol|sign\w* and ratif\w*|withdraw\w* (?:its |the )?reservations?",
    "Cooperation with human rights mechanisms & requests for technical assistance": r"standing invitation|special procedures?|special rapporteurs?|treaty bod(?:y|ies)|technical assistance|cooperat\w* (?:fully )?with (?:the )?(?:united nations|un|ohchr|office of the high commissioner|human rights mechanisms)|overdue reports|submit\w* (?:its )?(?:overdue |periodic |initial )?reports?",
    "Constitutional & legislative framework": r"legislation|\blaws?\b|legal framework|constitution\w*|\bbill\b|\bact\b|penal code|criminal code|civil code|amend\w*|repeal\w*|enact\w*|domestic law",
    "National Human Rights Institution (NHRI)": r"national human rights institution|paris principles|ombud\w*|human rights commission|\bnhri\b|human rights defender's office",
    "National Human Rights Action Plans (or specific areas) / implementation plans": r"(?:national )?(?:action )?plans?(?: of action)?|national strateg\w*",
    "Human rights education, trainings & awareness raising": r"training|train\b|trained|awareness|human rights education|campaigns?|sensiti[sz]\w*",
    "Equality & non-discrimination": r"discriminat\w*|equality|equal (?:rights|opportunit\w*|treatment|access)|non-discrimination|marginali[sz]\w*|stereotyp\w*",
    "Racial discrimination": r"racial|racism|racist|xenophob\w*|ethnic discrimination|hate speech|hate crimes?|\broma\b|descent|caste",
    "Discrimination against women": r"discrimination against women|gender equality|equality between (?:women and men|men and women)|cedaw|gender stereotyp\w*|pay gap|equal pay",
    "Advancement of women": r"empower\w* (?:of )?women|women's (?:rights|empowerment|participation)|advancement of women|gender equality",
    "Participation of women in political & public life": r"women\W+(?:\w+\W+){0,4}(?:participation|representation|decision-making|political|public life|leadership)|(?:participation|representation) of women",
    "Violence against women": r"violence against women|domestic violence|femicide|feminicide|rape|gender-based violence|sexual violence|marital rape|genital mutilation|\bfgm\b|honou?r crimes?|istanbul convention",
    "Sexual & gender-based violence": r"gender-based violence|sexual violence|rape|sexual abuse|sexual harassment|domestic violence|genital mutilation|istanbul convention",
    "Domestic violence": r"domestic violence|violence in the family|family violence|intimate partner",
    "Children: definition; general principles; protection": r"child(?:ren)?(?:'s)?\b|rights of the child|\bcrc\b|minors?",
    "Children: protection against exploitation": r"child labou?r|sexual exploitation of children|child pornography|child prostitution|child trafficking|child soldiers?|recruitment of children|sale of children",
    "Children: family environment & alternative care": r"alternative care|foster care|institutionali[sz]\w*|family environment|adoption|orphans?",
    "Children: juvenile justice": r"juvenile justice|children in conflict with the law|age of criminal responsibility|juvenile",
    "Persons with disabilities: definition, general principles": r"disabilit\w*|disabled|\bcrpd\b",
    "Persons with disabilities: independence, inclusion": r"(?:disabilit\w*|disabled)\W+(?:\w+\W+){0,8}(?:inclusi\w*|independen\w*|deinstitutionali[sz]\w*|community|employment)|inclusive education|deinstitutionali[sz]\w*",
    "Members of minorities": r"minorit\w*|\broma\b|sinti|ethnic groups?|national communit\w*|linguistic",
    "Migrants": r"migra\w*|immigra\w*|foreigners?|xenophob\w*",
    "Refugees & asylum seekers": r"refugees?|asylum|refoulement",
    "Internally displaced persons": r"internally displaced|\bidps?\b|displaced persons|displacement",
    "Human trafficking & contemporary forms of slavery": r"traffick\w*|slavery|forced labou?r|servitude|palermo protocol|exploitation",
    "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)": r"tortur\w*|ill-treatment|cruel, inhuman|degrading treatment|\bcat\b|op-cat|opcat|national preventive mechanism",
    "Conditions of detention": r"detention conditions|conditions of detention|prison conditions|overcrowd\w*|prisons?|places of detention|detention facilities",
    "Arbitrary arrest & detention": r"arbitrar\w* (?:arrest|detention)|pre-trial detention|administrative detention|detained without",
    "Death penalty": r"death penalty|capital punishment|executions?|death sentences?|moratorium",
    "Enforced disappearances": r"enforced disappearance|disappear\w*",
    "Right to life": r"right to life|killings?|extrajudicial",
    "Access to justice & remedy": r"access to justice|remed(?:y|ies)|reparation|compensation|legal aid|redress|complaints? mechanism",
    "Administration of justice & fair trial": r"fair trial|independence of the judiciary|judiciary|judicial|courts?|judges?|due process",
    "Rule of law & impunity": r"impunity|rule of law|accountab\w*|perpetrators|bring\w* (?:\w+ ){0,3}to justice|prosecut\w*|investigat\w*",
    "Good governance & corruption": r"corruption|good governance|transparen\w*|bribery",
    "Support to victims & witnesses": r"victims?|witness\w*|survivors?|shelters?",
    "Freedom of opinion and expression & access to information": r"freedom of (?:opinion|expression|the press|speech|information)|journalists?|media|press freedom|defamation|access to information|censorship",
    "Freedom of association": r"freedom of association|associations|\bngos?\b|civil society organi[sz]ations|trade unions?",
    "Right to peaceful assembly": r"peaceful assembly|freedom of assembly|demonstrat\w*|protest\w*",
    "Freedom of thought, conscience & religion": r"freedom of (?:religion|belief|thought|conscience|worship)|religious freedom|religio\w*|blasphemy|conscientious objection",
    "Freedom of movement": r"freedom of movement|travel bans?|exit visa|internal movement",
    "Right to participate in public affairs & right to vote": r"elections?|electoral|right to vote|voting|political participation|public affairs",
    "Rights related to name, identity & nationality": r"nationality|citizenship|stateless\w*|birth registration|identity documents?|civil registration",
    "Rights related to marriage & family": r"marriage|family|families|divorce|inheritance|polygamy",
    "Right to private life, privacy": r"privacy|private life|surveillance|personal data|data protection",
    "Right to education": r"educat\w*|schools?|literacy|teachers?|enrol\w*|curricul\w*",
    "Right to health": r"health|medical|hiv|aids\b|maternal mortality|diseases?|hospitals?|vaccin\w*",
    "Sexual & reproductive health and rights": r"sexual and reproductive|reproductive health|abortion|contracepti\w*|family planning|maternal",
    "Right to adequate housing": r"housing|evictions?|homeless\w*|shelter|settlements?|dwellings?",
    "Right to an adequate standard of living": r"standard of living|social inclusion|living conditions|social services|basic services",
    "Human rights & poverty": r"povert\w*|\bpoor\b|social exclusion",
    "Right to food": r"\bfood\b|hunger|malnutrition|nutrition",
    "Safe drinking water & sanitation": r"drinking water|\bwater\b|sanitation",
    "Right to social security": r"social security|social protection|pensions?|social assistance|benefits",
    "Labour rights and right to work": r"labou?r|employment|unemploy\w*|workers?|workplace|decent work|\bwork\b|wages?|\bjobs?\b",
    "Trade union rights": r"trade unions?|collective bargaining|right to strike",
    "Business & Human Rights": r"business|companies|corporat\w*|private sector|guiding principles on business",
    "Human rights & the environment": r"environment\w*|pollution|natural resources|biodiversity",
    "Human rights & climate change": r"climate change|climate|global warming|greenhouse",
    "Budget & resources (for human rights implementation)": r"budget\w*|resources|funding|funds\b|financ\w* (?:and|resources)|allocat\w*",
    "Data collection & research": r"data collection|disaggregated data|statistic\w*|research|surveys?|collect\w* data",
    "International criminal & humanitarian law (including crimes against humanity, war crimes, genocide)": r"rome statute|international criminal court|war crimes|crimes against humanity|genocide|humanitarian law",
    "Inter-State cooperation & development or humanitarian assistance": r"international cooperation|development assistance|official development|humanitarian assistance|share (?:its )?(?:experience|best practices)|south-south",
    "Cooperation & consultation with civil society": r"civil society|consult\w* (?:with )?(?:civil society|ngos)|\bngos?\b",
    "Liberty & security of the person": r"security of the person|excessive use of force|police violence|counter-terrorism|terroris\w*",
    "Human rights defenders": r"human rights defenders?",
    "Indigenous peoples": r"indigenous",
    "Cultural rights": r"cultural rights|cultural heritage|culture\b|cultural life",
    "National Mechanisms for Implementation, Reporting and Follow-up (NMIRF)": r"national mechanism for (?:implementation, )?reporting|follow-up mechanism|nmrf|nmirf|implementation of (?:the )?(?:upr |accepted )?recommendations",
    "2030 Agenda & other voluntary commitments": r"2030 agenda|sustainable development goals|\bsdgs?\b|voluntary pledges?",
}

_COMPILED = {name: re.compile(r"\b(?:" + p + r")", re.I) for name, p in _THEME_PATTERNS.items()}

#: Theme -> SDG goals, after OHCHR's matrices (cycles 3 and 4) where a theme recurs with a goal.
THEME_SDGS: dict[str, tuple[int, ...]] = {
    "Equality & non-discrimination": (10,),
    "Racial discrimination": (10, 16),
    "Discrimination against women": (5,),
    "Advancement of women": (5,),
    "Participation of women in political & public life": (5,),
    "Violence against women": (5, 16),
    "Sexual & gender-based violence": (5, 16),
    "Domestic violence": (5, 16),
    "Children: definition; general principles; protection": (16,),
    "Children: protection against exploitation": (8, 16),
    "Children: juvenile justice": (16,),
    "Persons with disabilities: definition, general principles": (10,),
    "Persons with disabilities: independence, inclusion": (10, 4, 8),
    "Members of minorities": (10,),
    "Migrants": (10,),
    "Refugees & asylum seekers": (10,),
    "Human trafficking & contemporary forms of slavery": (5, 8, 16),
    "Prohibition of torture & ill-treatment (including cruel, inhuman or degrading treatment)": (
        16,
    ),
    "Conditions of detention": (16,),
    "Arbitrary arrest & detention": (16,),
    "Death penalty": (16,),
    "Enforced disappearances": (16,),
    "Right to life": (16,),
    "Access to justice & remedy": (16,),
    "Administration of justice & fair trial": (16,),
    "Rule of law & impunity": (16,),
    "Good governance & corruption": (16,),
    "Support to victims & witnesses": (16,),
    "Freedom of opinion and expression & access to information": (16,),
    "Freedom of association": (16,),
    "Right to peaceful assembly": (16,),
    "National Human Rights Institution (NHRI)": (16,),
    "Rights related to name, identity & nationality": (16,),
    "Right to education": (4,),
    "Right to health": (3,),
    "Sexual & reproductive health and rights": (3, 5),
    "Right to adequate housing": (11,),
    "Right to an adequate standard of living": (1, 11),
    "Human rights & poverty": (1,),
    "Right to food": (2,),
    "Safe drinking water & sanitation": (6,),
    "Right to social security": (1,),
    "Labour rights and right to work": (8,),
    "Trade union rights": (8,),
    "Human rights & climate change": (13,),
    "Human rights & the environment": (12, 13),
    "Inter-State cooperation & development or humanitarian assistance": (17,),
    "Data collection & research": (17,),
}

_SDG_KEYWORDS: dict[int, re.Pattern[str]] = {
    7: re.compile(r"\b(?:energy|electricity)\b", re.I),
    14: re.compile(r"\b(?:ocean|marine|fisher\w*)\b", re.I),
    15: re.compile(r"\b(?:forests?|deforestation|biodiversity|desertification)\b", re.I),
    9: re.compile(r"\b(?:infrastructure|industriali[sz]\w*|internet access)\b", re.I),
}


def find_themes(text: str) -> list[tuple[str, str]]:
    """Return (theme, matched words) for each UHRI theme *text* touches."""
    found = []
    for name, pattern in _COMPILED.items():
        m = pattern.search(text)
        if m:
            found.append((name, m.group(0)))
    return found


def find_sdg_goals(text: str, themes: list[str]) -> list[int]:
    """Return the SDG goal numbers (sorted) served by a text with these *themes*."""
    goals = {g for theme in themes for g in THEME_SDGS.get(theme, ())}
    goals.update(goal for goal, pattern in _SDG_KEYWORDS.items() if pattern.search(text))
    return sorted(goals)


def _rule_sdgs(text: str) -> set[int]:
    return set(find_sdg_goals(text, [name for name, _ in find_themes(text)]))


class SdgModel:
    """SDG goals from the themes, adjusted by a model fitted on a matrix's own SDGs
    (`learned.RuleBackedModel`); `fit(texts, goals, folds)`, `predict(texts)`."""

    def __init__(self) -> None:
        from rightstrack.engine.analyse.learned import RuleBackedModel

        self._model = RuleBackedModel(_rule_sdgs)

    def fit(self, texts, goals, folds=None) -> SdgModel:  # type: ignore[no-untyped-def]
        self._model.fit(texts, goals, folds)
        return self

    def predict(self, texts) -> list[set[int]]:  # type: ignore[no-untyped-def]
        return self._model.predict(texts)  # type: ignore[return-value]
