from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from rightstrack.recommendations.models import (
    Country,
    GroupMembership,
    Label,
    RecommendationGroup,
    Taxonomy,
)

#: Thresholds a person may choose for proposing groups: below 0.3 nearly everything groups.
MIN_THRESHOLD, MAX_THRESHOLD = 0.3, 0.99


class ReviewFilterForm(forms.Form):
    """The review queue's filters; every field is optional."""

    taxonomy = forms.ModelChoiceField(
        queryset=Taxonomy.objects.order_by("name"),
        to_field_name="slug",
        required=False,
        empty_label=_("All taxonomies"),
        label=_("Taxonomy"),
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.only("code", "name").order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All countries"),
        label=_("Country"),
    )
    min_confidence = forms.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        label=_("Confidence from"),
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    max_confidence = forms.FloatField(
        min_value=0,
        max_value=1,
        required=False,
        label=_("Confidence to"),
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
    state = forms.ChoiceField(
        choices=Label.ReviewState.choices,
        required=False,
        initial=Label.ReviewState.SUGGESTED,
        label=_("State"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("min_confidence"), data.get("max_confidence")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The lowest confidence is above the highest."))
        return data

    def filter(self, labels: QuerySet[Label]) -> QuerySet[Label]:
        """Return *labels* narrowed by the valid filters (the suggested ones by default)."""
        data = self.cleaned_data if self.is_valid() else {}
        labels = labels.filter(review_state=data.get("state") or Label.ReviewState.SUGGESTED)
        if data.get("taxonomy"):
            labels = labels.filter(term__taxonomy=data["taxonomy"])
        if data.get("country"):
            labels = labels.filter(recommendation__country=data["country"])
        if data.get("min_confidence") is not None:
            labels = labels.filter(confidence__gte=data["min_confidence"])
        if data.get("max_confidence") is not None:
            labels = labels.filter(confidence__lte=data["max_confidence"])
        return labels


class BulkReviewForm(forms.Form):
    """A bulk decision: on the selected suggestions or on all those matching the filter."""

    ACTIONS = ("accept-selected", "reject-selected", "accept-matching", "reject-matching")

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS])
    replace = forms.BooleanField(
        required=False,
        label=_("Also replace the labels a recommendation already has in that taxonomy"),
    )

    def selected(self) -> list[int]:
        """Return the ids of the selected suggestions (the checkboxes named "label")."""
        from rightstrack.lib.params import to_ids

        return to_ids(self.data.getlist("label"))


class GroupFilterForm(forms.Form):
    country = forms.ModelChoiceField(
        queryset=Country.objects.only("code", "name").order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All countries"),
        label=_("Country"),
    )
    status = forms.ChoiceField(
        choices=[("", _("Proposed and confirmed")), *RecommendationGroup.Status.choices],
        required=False,
        label=_("Status"),
    )

    def filter(self, groups: QuerySet[RecommendationGroup]) -> QuerySet[RecommendationGroup]:
        """Return *groups* narrowed by the valid filters (the groups page and its download)."""
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("country"):
            groups = groups.filter(
                pk__in=GroupMembership.objects.filter(
                    recommendation__country=data["country"]
                ).values("group_id")
            )
        if data.get("status"):
            groups = groups.filter(status=data["status"])
        return groups


class ProposeGroupsForm(forms.Form):
    country = forms.ModelChoiceField(
        queryset=Country.objects.only("code", "name").order_by("name"),
        to_field_name="code",
        label=_("Country"),
    )
    threshold = forms.FloatField(
        min_value=MIN_THRESHOLD,
        max_value=MAX_THRESHOLD,
        required=False,
        label=_("Similarity threshold"),
        help_text=_(
            "From 0.3 (loose groups) to 0.99 (near copies only); empty for the default, 0.5."
        ),
        widget=forms.NumberInput(attrs={"step": "0.05", "inputmode": "decimal"}),
    )
