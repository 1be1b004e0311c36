"""Input and output shapes of the JSON API (pydantic, through django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

#: Text without a NUL character (which no parameter can mean, and PostgreSQL refuses).
Text = Annotated[str, Field(pattern=r"^[^\x00]*$")]


class Filters(Schema):
    """The same filters as the search page; repeat a parameter for alternatives."""

    q: Text = Field("", description='Words; "a phrase", OR, -word, prefix*.')
    country: list[Text] = Field([], description="ISO 3166-1 alpha-3 code of the State concerned.")
    body: list[Text] = Field([], description="Body code: UPR, CRPD, CEDAW, or a mandate.")
    mechanism: list[Literal["treaty_body", "upr", "special_procedures"]] = Field(
        [], description="treaty_body, upr or special_procedures."
    )
    cycle: list[Annotated[int, Field(ge=1, le=99)]] = Field([], description="UPR cycle, 1-4.")
    year: list[Annotated[int, Field(ge=1900, le=2200)]] = Field([])
    theme: list[Text] = Field([], description="Theme: term name or code.")
    group: list[Text] = Field([], description="Group of persons: term name or code.")
    sdg: list[Text] = Field([], description="SDG goal (5) or target (16.3).")
    position: list[Literal["supported", "noted", "supported_in_part", "none"]] = Field(
        [], description="supported, noted, supported_in_part or none."
    )
    recommending_state: list[Text] = Field(
        [], description="UPR: alpha-3 code of a recommending State."
    )
    action: list[Annotated[int, Field(ge=1, le=5)]] = Field(
        [], description="Action category as analysed, 1 (minimal) to 5 (specific)."
    )
    protection: bool | None = Field(
        None,
        description="true: only recommendations relevant to displacement, conflict or disaster "
        "(as analysed); false: only the others.",
    )
    follow_up: bool | None = Field(
        None,
        description="true: only the recommendations a treaty body selected for its follow-up "
        "procedure; false: only the others.",
    )

    def to_kwargs(self) -> dict[str, Any]:
        """Return filter_recommendations keyword arguments."""
        out: dict[str, Any] = {
            k: v for k, v in self.dict().items() if k not in ("q", "protection", "follow_up") and v
        }
        if self.follow_up is not None:
            out["follow_up"] = self.follow_up
        if self.protection is not None:
            out["protection"] = "yes" if self.protection else "no"
        if self.q.strip():
            out["query"] = self.q.strip()
        return out


class ErrorOut(Schema):
    """Every error answer: one line for people, naming the field when one is wrong."""

    detail: str = Field(description="What is wrong, naming the field when one is.")
    error: str = Field(description="The same line (the name older clients read).")


class ConflictOut(ErrorOut):
    """409: someone else changed the object since it was read."""

    current: dict[str, Any] = Field(description="The object as it is now, with its version.")


#: 401 on every endpoint: a bad or expired token is refused even where reading is public.
AUTH_ERRORS: dict[int, Any] = {401: ErrorOut}
#: What a read of a public endpoint may answer besides 200.
READ_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut}
#: What an endpoint needing a person may answer besides 2xx.
PERSON_ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
#: ... and when it writes an object with a version.
WRITE_ERRORS: dict[int, Any] = {**PERSON_ERRORS, 409: ConflictOut}

#: The highest version an object can have (the databases' positive integer).
MAX_VERSION = 2**31 - 1
#: A version read from an object, sent back to detect a stale edit (409).
Version = Annotated[
    int, Field(ge=1, le=MAX_VERSION, description="The version you read; an older one answers 409.")
]
#: A page number and size of the follow-up lists.
MAX_PAGE_SIZE = 200
MAX_PAGE = 100_000
Page = Annotated[int, Field(ge=1, le=MAX_PAGE)]
PageSize = Annotated[int, Field(ge=1, le=MAX_PAGE_SIZE)]


def decimal(max_digits: int, places: int, *, minimum: int | None = None) -> Any:
    """A decimal number as the database stores it: JSON number or text, bounded."""
    from pydantic import WithJsonSchema

    whole = max_digits - places
    bound = 10 ** min(whole, 13) - 1
    low = -bound if minimum is None else minimum
    sign = "-?" if low < 0 else ""
    return Annotated[
        Decimal,
        Field(ge=low, le=bound, max_digits=max_digits, decimal_places=places),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "minimum": low, "maximum": bound, "multipleOf": 1},
                    {
                        "type": "string",
                        "pattern": rf"^{sign}[0-9]{{1,{min(whole, 13)}}}(\.[0-9]{{1,{places}}})?$",
                    },
                ]
            }
        ),
    ]


class CountryRef(Schema):
    code: str
    name: str


class FacetValueOut(Schema):
    value: str
    label: str
    count: int


class FacetOut(Schema):
    values: list[FacetValueOut]
    more: bool


class LabelOut(Schema):
    taxonomy: str
    code: str
    name: str
    source: str = Field(description="document, person or classifier")
    confidence: float | None
    origin: str
    review_state: str


class AnalysisOut(Schema):
    action_category: int | None
    action_verb: str
    concrete_action: bool
    rights_holders_stated: bool
    detail: str
    protection_relevant: bool
    confidence: float | None
    model_version: str


class RecommendationOut(Schema):
    code: UUID
    url: str
    external_id: str
    country: CountryRef
    body: str
    mechanism: str
    document_symbol: str
    paragraph: str
    text: str
    language: str
    session: str
    cycle: int | None
    year: int | None
    date: date | None
    recommending_states: list[CountryRef]
    position: str
    position_source: str
    heading: str
    follow_up: bool
    follow_up_due: str


class RecommendationDetailOut(RecommendationOut):
    concern_paragraph: str
    labels: list[LabelOut]
    analysis: AnalysisOut | None
    import_batch: str | None = Field(description="File the recommendation was last imported from.")


class HintOut(Schema):
    """When a query finds nothing: the closest query that does (one word left out)."""

    query: str
    count: int
    dropped: str


class RecommendationPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[RecommendationOut]
    facets: dict[str, FacetOut] | None = None
    hint: HintOut | None = None
    ignored_words: list[str] = []


class CountryOut(Schema):
    code: str
    name: str
    recommendations: int


class CountryDetailOut(Schema):
    code: str
    name: str
    alpha2: str
    region: str
    un_group: str
    recommendations: int
    facets: dict[str, FacetOut]


class ImportOut(Schema):
    file_name: str
    kind: str
    created: int
    updated: int
    unchanged: int


class JobOut(Schema):
    code: str
    kind: str
    state: str
    done: int
    total: int
    percent: int
    message: str
    result: dict[str, Any] | None = None
    error: str | None = None
    attempts: int
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    url: str
