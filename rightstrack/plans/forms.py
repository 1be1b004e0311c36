from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.plans.models import ActionFunding, Fund


class PlanForm(forms.Form):
    country = forms.ChoiceField(label=_("State"))
    title = forms.CharField(label=_("Title"), max_length=300)
    start = forms.DateField(label=_("Starts"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Ends"), widget=forms.DateInput(attrs={"type": "date"}))
    situation = forms.CharField(label=_("Current situation"), widget=forms.Textarea, required=False)
    problems = forms.CharField(
        label=_("Problems to overcome"), widget=forms.Textarea, required=False
    )
    monitoring = forms.CharField(
        label=_("Monitoring and evaluation"), widget=forms.Textarea, required=False
    )
    filters = forms.CharField(widget=forms.HiddenInput, required=False)


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=300)
    accountability = forms.CharField(
        label=_("Accountability: who answers for it, to whom, how"),
        widget=forms.Textarea,
        required=False,
    )
    actions = forms.MultipleChoiceField(
        label=_("Actions (from follow-up)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    indicators = forms.MultipleChoiceField(
        label=_("Indicators (from follow-up)"), required=False, widget=forms.CheckboxSelectMultiple
    )


class ConsultationForm(forms.Form):
    date = forms.DateField(label=_("When"), widget=forms.DateInput(attrs={"type": "date"}))
    who = forms.CharField(label=_("Who was consulted"), widget=forms.Textarea(attrs={"rows": 2}))
    groups = forms.CharField(label=_("Groups of persons"), required=False)
    method = forms.CharField(label=_("How (focus groups, hearing, survey…)"), max_length=200)
    place = forms.CharField(label=_("Where"), required=False)
    participants = forms.IntegerField(label=_("Participants"), required=False, min_value=0)
    said = forms.CharField(label=_("What they said"), widget=forms.Textarea(attrs={"rows": 3}))
    response = forms.CharField(
        label=_("What the plan does with it"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class FundingForm(forms.Form):
    fund = forms.ModelChoiceField(Fund.objects.filter(active=True), label=_("Fund"), required=False)
    other_source = forms.CharField(label=_("Or another source"), required=False)
    amount = forms.DecimalField(label=_("Amount"), required=False, min_value=0)
    currency = forms.CharField(label=_("Currency"), max_length=3, initial="USD")
    status = forms.ChoiceField(label=_("Status"), choices=ActionFunding.Status.choices)
