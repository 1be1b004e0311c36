from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rightstrack.formats.registry import IMPORTERS


def _kind_choices() -> list[tuple[str, str]]:
    return [
        ("", _("Guess from the file")),
        *((kind, label) for kind, (label, _path) in IMPORTERS.items()),
    ]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("UHRI export, OHCHR matrix, UPR Info export, a table or a UN document."),
    )
    kind = forms.ChoiceField(label=_("Kind of file"), choices=_kind_choices, required=False)
