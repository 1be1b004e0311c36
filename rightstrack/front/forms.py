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
        # An empty file is refused in clean_file, with a message that names it.
        allow_empty_file=True,
        help_text=_("UHRI export, OHCHR matrix, UPR Info export, a table or a UN document."),
    )
    kind = forms.ChoiceField(label=_("Kind of file"), choices=_kind_choices, required=False)

    def clean_file(self):  # type: ignore[no-untyped-def]
        from rightstrack.lib.uploads import too_large

        upload = self.cleaned_data["file"]
        if not upload.size:
            raise forms.ValidationError(f"{upload.name}: empty file")
        message = too_large(upload.name, upload.size)
        if message:
            raise forms.ValidationError(message)
        return upload
