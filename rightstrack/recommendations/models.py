"""Sources, recommendations, taxonomies and labels. See docs/data-model.md."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rightstrack.formats import records


class Mechanism(models.TextChoices):
    TREATY_BODY = records.Mechanism.TREATY_BODY, _("Treaty body")
    UPR = records.Mechanism.UPR, _("Universal Periodic Review")
    SPECIAL_PROCEDURES = records.Mechanism.SPECIAL_PROCEDURES, _("Special procedures")


class Country(models.Model):
    code = models.CharField(max_length=3, unique=True, help_text="ISO 3166-1 alpha-3 code.")
    alpha2 = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2 code.")
    name = models.CharField(max_length=100, help_text="UN short name in English.")
    region = models.CharField(max_length=60, blank=True, help_text="Geographical region.")
    un_group = models.CharField(
        max_length=40, blank=True, help_text="UN regional group (African, Asia-Pacific, ...)."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("front-country", args=[self.code])


class Body(models.Model):
    code = models.CharField(
        max_length=60, unique=True, help_text="Short code: CRPD, CEDAW, UPR, or a mandate slug."
    )
    name = models.CharField(max_length=200, help_text="Full name of the body or mandate.")
    mechanism = models.CharField(
        max_length=20, choices=Mechanism.choices, help_text="Family of mechanism."
    )

    class Meta:
        ordering = ["mechanism", "code"]
        verbose_name_plural = "bodies"

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return what people call it: the code of a treaty body or the UPR, the mandate's name."""
        if self.mechanism == Mechanism.SPECIAL_PROCEDURES and self.name:
            return self.name
        return self.code


class Review(models.Model):
    """One review of one State by one body (a UPR session, a treaty body's dialogue)."""

    body = models.ForeignKey(Body, on_delete=models.PROTECT, help_text="Reviewing body.")
    country = models.ForeignKey(Country, on_delete=models.PROTECT, help_text="State reviewed.")
    session = models.CharField(max_length=20, blank=True, help_text="Session number or name.")
    cycle = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="UPR cycle (1-4): about 4.5 years in which every State is reviewed once.",
    )
    date = models.DateField(null=True, blank=True, help_text="Date of the review or adoption.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["body", "country", "session"], name="review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.body} {self.country} {self.session}".strip()


class Document(models.Model):
    class Kind(models.TextChoices):
        CONCLUDING_OBSERVATIONS = "concluding_observations", _("Concluding observations")
        UPR_REPORT = "upr_report", _("UPR Working Group report")
        UPR_ADDENDUM = "upr_addendum", _("UPR report addendum (views of the State)")
        MATRIX = "matrix", _("OHCHR thematic list of recommendations (matrix)")
        SP_REPORT = "sp_report", _("Special procedures report")
        EXPORT = "export", _("Database export (UHRI, UPR Info)")
        OTHER = "other", _("Other")

    symbol = models.CharField(
        max_length=120,
        blank=True,
        db_index=True,
        help_text="UN document symbol, e.g. CRPD/C/IRQ/CO/1.",
    )
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    body = models.ForeignKey(Body, null=True, blank=True, on_delete=models.PROTECT)
    country = models.ForeignKey(Country, null=True, blank=True, on_delete=models.PROTECT)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL)
    date = models.DateField(null=True, blank=True, help_text="Publication or adoption date.")
    language = models.CharField(max_length=10, default="en", help_text="Language code.")
    title = models.TextField(blank=True)
    file = models.FileField(upload_to="documents/", blank=True, help_text="The stored original.")
    pages = models.PositiveIntegerField(null=True, blank=True)
    next_report_due = models.DateField(
        null=True,
        blank=True,
        help_text="The next periodic report's due date set in concluding observations.",
    )

    def __str__(self) -> str:
        return self.symbol or self.title or f"document {self.pk}"


class ImportBatch(models.Model):
    """One import of one file: who, when, what it found. Every recommendation knows its batch."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        #: The recommendations are stored; their analysis has not finished (yet). The next
        #: import, or `rightstrack import --resume`, finishes it.
        ANALYSING = "analysing", _("Stored, analysis pending")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40, help_text="Registered importer kind (formats.registry).")
    file_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, blank=True, help_text="Checksum of the imported file.")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    started = models.DateTimeField(auto_now_add=True)
    finished = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(default=0, help_text="Records read so far (for progress).")
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why the import failed, naming row and column.")

    class Meta:
        ordering = ["-started"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.file_name}"


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RecommendationQuerySet:  # type: ignore[no-untyped-def]
        """Return the recommendations *user* may see. Recommendations are public UN text."""
        return self


class Recommendation(models.Model):
    class Position(models.TextChoices):
        SUPPORTED = records.Position.SUPPORTED, _("Supported")
        #: The State under review took note of it without committing to implement it.
        NOTED = records.Position.NOTED, _("Noted")
        SUPPORTED_IN_PART = records.Position.SUPPORTED_IN_PART, _("Supported in part")
        NONE = "", _("No position")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    key = models.CharField(
        max_length=40, unique=True, help_text="Natural key that makes re-imports idempotent."
    )
    external_id = models.CharField(
        max_length=64, blank=True, db_index=True, help_text="UHRI annotation id, when known."
    )
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL)
    review = models.ForeignKey(Review, null=True, blank=True, on_delete=models.SET_NULL)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        related_name="recommendations",
        help_text="State concerned (the State under review for the UPR).",
    )
    body = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="recommendations")
    mechanism = models.CharField(
        max_length=20, choices=Mechanism.choices, help_text="Copied from the body, for filtering."
    )
    document_symbol = models.CharField(max_length=120, blank=True)
    paragraph = models.CharField(
        max_length=30, blank=True, help_text="Number as printed: 118.5, 12(a)."
    )
    text = models.TextField(help_text="The recommendation's own text.")
    language = models.CharField(max_length=10, default="en")
    session = models.CharField(max_length=20, blank=True, help_text="UPR or treaty body session.")
    cycle = models.PositiveSmallIntegerField(null=True, blank=True, help_text="UPR cycle.")
    year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Year issued.")
    date = models.DateField(null=True, blank=True, help_text="Date of the document.")
    recommending_states = models.ManyToManyField(
        Country,
        blank=True,
        related_name="recommendations_made",
        help_text="UPR: the State(s) that made the recommendation.",
    )
    position = models.CharField(
        max_length=20,
        choices=Position.choices,
        blank=True,
        default="",
        help_text="UPR: the State under review's response.",
    )
    position_source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where the position is recorded, e.g. A/HRC/59/15/Add.1 - Para.3.",
    )
    heading = models.TextField(blank=True, help_text="Treaty article or heading it falls under.")
    concern_paragraph = models.TextField(blank=True, help_text="The concern paragraph it answers.")
    follow_up = models.BooleanField(
        default=False, help_text="Selected by the treaty body for its follow-up procedure."
    )
    follow_up_due = models.CharField(
        max_length=30,
        blank=True,
        help_text="Date (YYYY-MM-DD) or period by which the State must report.",
    )
    follow_up_due_date = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The follow-up reply's due date, when the document gives or implies one.",
    )
    urgent = models.BooleanField(
        default=False, help_text='Named by the treaty body among its "urgent measures".'
    )
    source_page = models.PositiveIntegerField(null=True, blank=True)
    provenance = models.JSONField(
        default=dict,
        blank=True,
        help_text="Where each imported value came from: field -> importer kind (or 'person').",
    )
    repeats = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeated_by",
        help_text="An earlier recommendation that this one repeats (earlier cycle or mechanism).",
    )
    import_batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "country_id", "id"]
        indexes = [
            # Search facets and the country page filter on these.
            models.Index(fields=["country", "year"], name="rec_country_year"),
            models.Index(fields=["body", "year"], name="rec_body_year"),
            models.Index(fields=["mechanism", "year"], name="rec_mechanism_year"),
            models.Index(fields=["cycle"], name="rec_cycle"),
            models.Index(fields=["year"], name="rec_year"),
            models.Index(fields=["position"], name="rec_position"),
            models.Index(fields=["document_symbol", "paragraph"], name="rec_symbol_para"),
        ]

    def __str__(self) -> str:
        label = self.document_symbol or self.body.code
        return f"{label} {self.paragraph}".strip()

    def get_absolute_url(self) -> str:
        return reverse("front-recommendation", args=[self.code])


class RecommendationSource(models.Model):
    """One source of one recommendation: a UHRI row, a matrix row, a report paragraph, ...

    The same recommendation read from several files is one Recommendation with one source
    each (docs/importers.md, "One record per recommendation").
    """

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="sources"
    )
    key = models.CharField(
        max_length=40, unique=True, help_text="The source record's natural key (RecordIn)."
    )
    kind = models.CharField(max_length=40, help_text="Importer kind (formats.registry).")
    file_name = models.CharField(max_length=500, blank=True)
    document_symbol = models.CharField(max_length=120, blank=True)
    paragraph = models.CharField(max_length=30, blank=True)
    row = models.PositiveIntegerField(null=True, blank=True, help_text="Row or page in the file.")
    external_id = models.CharField(max_length=64, blank=True)
    digest = models.CharField(
        max_length=32, blank=True, help_text="Checksum of what the source said when last read."
    )
    import_batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recommendation", "id"]
        indexes = [models.Index(fields=["recommendation"], name="recsource_rec")]

    def __str__(self) -> str:
        where = " ".join(x for x in (self.document_symbol, self.paragraph) if x)
        return f"{self.kind}: {where or self.file_name}"


class SubItem(models.Model):
    """A lettered part of a treaty body paragraph ("12(a)"), followed up on its own.

    Search and counts keep the paragraph (the Recommendation) as their unit; assignments,
    status updates and assessments may name a sub-item so that "(a) amend the law" and
    "(c) collect data" go to different ministries.
    """

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="sub_items"
    )
    label = models.CharField(max_length=10, help_text='The letter or number as printed: "a", "iv".')
    text = models.TextField(help_text="The sub-item's own text, without its letter.")
    sort = models.PositiveSmallIntegerField(default=0, help_text="Order in the paragraph.")

    class Meta:
        ordering = ["recommendation", "sort"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "label"], name="subitem_unique")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation}({self.label})"

    @property
    def paragraph(self) -> str:
        """Return the number as people cite it: 12(a)."""
        return f"{self.recommendation.paragraph}({self.label})"


class Taxonomy(models.Model):
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    source = models.TextField(
        blank=True, help_text="Where the list comes from (OHCHR, UPR Info, the user)."
    )
    builtin = models.BooleanField(default=False, help_text="Shipped with rightstrack.")

    class Meta:
        verbose_name_plural = "taxonomies"

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    taxonomy = models.ForeignKey(Taxonomy, on_delete=models.CASCADE, related_name="terms")
    code = models.CharField(max_length=30, blank=True, help_text="Code, e.g. B31, 16.3, 5.")
    name = models.CharField(max_length=300)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    sort = models.PositiveIntegerField(default=0)
    successors = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="predecessors",
        help_text="Crosswalk: terms of the current list that replace this legacy term.",
    )

    class Meta:
        ordering = ["taxonomy", "sort", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "name"], name="term_unique_name")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """Return the name, after its code when the code is one people use ("B31", "16.3")."""
        readable_code = self.code and "-" not in self.code and not self.name.startswith(self.code)
        return f"{self.code} {self.name}" if readable_code else self.name


class Label(models.Model):
    """A term on a recommendation, with where it came from and whether a person reviewed it."""

    class Source(models.TextChoices):
        DOCUMENT = records.LabelSource.DOCUMENT, _("Source document")
        PERSON = records.LabelSource.PERSON, _("Person")
        CLASSIFIER = records.LabelSource.CLASSIFIER, _("Classifier")

    class ReviewState(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="labels"
    )
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="labels")
    source = models.CharField(max_length=12, choices=Source.choices)
    confidence = models.FloatField(null=True, blank=True, help_text="Classifier confidence, 0-1.")
    origin = models.CharField(
        max_length=200, blank=True, help_text="Document symbol, person or model version."
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.ACCEPTED
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "term", "source"], name="label_unique_source"
            )
        ]
        indexes = [
            # Facet counts and filters by theme / group / SDG in front.views.search.
            models.Index(fields=["term", "recommendation"], name="label_term_rec"),
            # The review queue lists suggestions by state.
            models.Index(fields=["review_state", "source"], name="label_review"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.term}"


#: The UPR Info action categories (docs/analysis.md), as people read them.
ACTION_CATEGORY_NAMES = {
    1: _("minimal action"),
    2: _("continuing action"),
    3: _("considering action"),
    4: _("general action"),
    5: _("specific action"),
}


class Analysis(models.Model):
    """What the analyser found in one recommendation's text, with the model version."""

    recommendation = models.OneToOneField(
        Recommendation, on_delete=models.CASCADE, related_name="analysis"
    )
    action_category = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="UPR Info action category: 1 minimal ... 5 specific action.",
    )
    action_verb = models.CharField(max_length=100, blank=True)
    concrete_action = models.BooleanField(default=False)
    rights_holders_stated = models.BooleanField(default=False)
    detail = models.CharField(
        max_length=200,
        blank=True,
        help_text="benchmark; indicator; timeline; budget; legal_reference",
    )
    protection_relevant = models.BooleanField(default=False, db_index=True)
    confidence = models.FloatField(null=True, blank=True)
    reasons = models.JSONField(default=dict, blank=True, help_text="Readable reasons per finding.")
    model_version = models.CharField(max_length=60, blank=True)
    created = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "analyses"
        indexes = [models.Index(fields=["action_category"], name="analysis_category")]

    def __str__(self) -> str:
        return f"analysis of {self.recommendation_id}"

    @property
    def action_category_label(self) -> str:
        """Return the category with its UPR Info name, e.g. "5 (specific action)"."""
        name = ACTION_CATEGORY_NAMES.get(self.action_category or 0)
        return f"{self.action_category} ({name})" if name else ""


class RecommendationGroup(models.Model):
    """Recommendations that ask for the same thing, across mechanisms and cycles."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    method = models.CharField(max_length=60, blank=True, help_text="Grouping method and version.")
    key_phrases = models.TextField(blank=True, help_text="Shared key phrases, '; '-joined.")
    created = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    confirmed = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.title or f"group {self.pk}"


class GroupMembership(models.Model):
    group = models.ForeignKey(
        RecommendationGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="group_memberships"
    )
    similarity = models.FloatField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "recommendation"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} in {self.group_id}"
