"""Input and output shapes of the JSON API (pydantic, through django-ninja)."""

from __future__ import annotations

from datetime import date, datetime
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
    """Every error answer: one line for people."""

    error: str


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


class Error(Schema):
    error: str
