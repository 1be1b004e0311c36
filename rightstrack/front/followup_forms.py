"""Forms of the follow-up pages.

They only collect and shape input; rightstrack.tracking.services checks it (permissions,
dates, evidence, conflicts) and its Invalid errors are put next to the field they name.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.accounts.models import Institution, Membership
from rightstrack.tracking.models import Action, Assignment, Indicator, Status
from rightstrack.tracking.services import DISAGGREGATIONS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


def _institution_choices(institutions: Any) -> list[tuple[str, str]]:
    return [(str(i.code), i.name) for i in institutions]


class InstitutionChoiceForm(forms.Form):
    """A form with an `institution` choice limited to the ones given."""

    def __init__(self, *args: Any, institutions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "institution" in self.fields:
            self.fields["institution"].choices = _institution_choices(institutions)


class AssignForm(InstitutionChoiceForm):
    institution = forms.ChoiceField(label=_("Institution"))
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    due = forms.DateField(label=_("Due"), required=False, widget=DATE)
    sub_item = forms.ChoiceField(label=_("Part"), required=False)
    note = forms.CharField(
        label=_("What you ask of the institution"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, sub_items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = list(sub_items)
        if items:
            self.fields["sub_item"].choices = [("", _("The whole paragraph"))] + [
                (str(s.code), f"({s.label}) {s.text[:60]}") for s in items
            ]
        else:
            del self.fields["sub_item"]


class AssignResultsForm(InstitutionChoiceForm):
    institution = forms.ChoiceField(label=_("Institution"))
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    due = forms.DateField(label=_("Due"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False)


class AssignmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=Assignment.Role.choices)
    due = forms.DateField(label=_("Due"), required=False, widget=DATE)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EndAssignmentForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Why it ends"), required=False)


class UpdateForm(InstitutionChoiceForm):
    institution = forms.ChoiceField(label=_("Reporting for"))
    sub_item = forms.ChoiceField(label=_("Part"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    date = forms.DateField(label=_("As of"), widget=DATE)
    note = forms.CharField(
        label=_("What was done, by whom; what remains"), widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_files = MultipleFileField(label=_("Evidence files"), required=False)
    evidence_links = forms.CharField(
        label=_("Evidence links (one per line)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, sub_items: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = list(sub_items)
        if items:
            self.fields["sub_item"].choices = [("", _("The whole paragraph"))] + [
                (str(s.code), f"({s.label}) {s.text[:60]}") for s in items
            ]
        else:
            del self.fields["sub_item"]

    def links(self) -> list[str]:
        text = self.cleaned_data.get("evidence_links") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class AssessForm(UpdateForm):
    institution = forms.ChoiceField(label=_("Assessing for"))
    note = forms.CharField(
        label=_("Your reasons and sources"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AssessmentChangeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    date = forms.DateField(label=_("As of"), widget=DATE)
    note = forms.CharField(
        label=_("Your reasons and sources"), widget=forms.Textarea(attrs={"rows": 3})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve")), ("reject", _("Send back"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Reason (required to send back)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ActionForm(InstitutionChoiceForm):
    institution = forms.ChoiceField(label=_("Institution"))
    title = forms.CharField(label=_("What will be done"), max_length=300)
    description = forms.CharField(
        label=_("How, with whom"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    budget_amount = forms.CharField(label=_("Budget"), required=False)
    budget_currency = forms.CharField(
        label=_("Currency (ISO 4217, e.g. EUR)"), required=False, max_length=3
    )
    funding_source = forms.CharField(label=_("Funding source"), required=False)
    progress = forms.ChoiceField(label=_("Progress"), choices=Action.Progress.choices)


class ActionChangeForm(ActionForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["institution"]


class IndicatorForm(InstitutionChoiceForm):
    institution = forms.ChoiceField(label=_("Institution"))
    name = forms.CharField(label=_("What is measured"), max_length=300)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=60)
    baseline = forms.CharField(label=_("Baseline"), required=False)
    baseline_date = forms.DateField(label=_("Baseline date"), required=False, widget=DATE)
    target = forms.CharField(label=_("Target"), required=False)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    frequency = forms.ChoiceField(label=_("Frequency"), choices=Indicator.Frequency.choices)
    source = forms.CharField(label=_("Source of the values"), required=False)


class IndicatorChangeForm(IndicatorForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["institution"]


class MeasurementForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    value = forms.CharField(label=_("Value"))
    sex = forms.CharField(label=_("Sex"), required=False)
    age_group = forms.CharField(label=_("Age group"), required=False)
    displacement_status = forms.CharField(label=_("Displacement status"), required=False)
    disability = forms.CharField(label=_("Disability"), required=False)
    location = forms.CharField(label=_("Location"), required=False)
    source = forms.CharField(label=_("Source"), required=False)

    def disaggregation(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(k, "") for k in DISAGGREGATIONS}


# --- management -----------------------------------------------------------------------------


class InstitutionForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Institution.Kind.choices)
    country = forms.ChoiceField(label=_("State"))
    requires_validation = forms.BooleanField(
        label=_("Its focal points' updates wait for its validator"), required=False, initial=True
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, countries: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [(c.code, c.name) for c in countries]


class PersonForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Last name"), required=False, max_length=150)
    institution = forms.ChoiceField(label=_("Institution"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, institutions: Any = (), roles: Any = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = _institution_choices(institutions)
        if roles is not None:
            self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in roles]


class MembershipForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)

    def __init__(self, *args: Any, roles: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if roles is not None:
            self.fields["role"].choices = [c for c in Membership.Role.choices if c[0] in roles]
