"""Browser forms. Each one collects fields and hands them to rules.validate(), so the words
of every error come from the seeds' rules, shown beside the field they name."""
from __future__ import annotations

import secrets

from django import forms

from . import rules

MODEL_CHOICES = [(m, m.replace("_", ".").replace(".PLUS", "+")) for m in rules.MODELS]


class RulesForm(forms.Form):
    """A form whose cross-field rules live in rules.py. Subclasses set `operation` and map
    rule fields onto their own field names where they differ (e.g. prompt -> idea)."""

    operation = rules.GENERATE
    field_names: dict[str, str] = {}
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", secrets.token_urlsafe(16))

    def request_data(self) -> dict:
        """The form's values in the seeds' field names."""
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.params = rules.validate(self.operation, self.request_data())
        except rules.RuleError as error:
            field = self.field_names.get(error.field, error.field)
            self.add_error(field if field in self.fields else None,
                           error.message(rules.FORM_LABELS))
        return cleaned


class SimpleForm(RulesForm):
    """Non-custom mode: an idea of up to 500 characters; Studio writes the lyrics."""

    idea = forms.CharField(
        label="Describe your song", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": rules.IDEA_LIMIT,
                                     "placeholder": "A warm lo-fi song about rain on a city "
                                                    "window, soft piano and vinyl crackle"}))
    instrumental = forms.BooleanField(label="Instrumental (no vocals)", required=False)
    model = forms.ChoiceField(label="Model", choices=MODEL_CHOICES, initial=rules.DEFAULT_MODEL)
    field_names = {"prompt": "idea"}

    def request_data(self) -> dict:
        data = self.cleaned_data
        return {"customMode": False, "instrumental": data.get("instrumental", False),
                "model": data.get("model"), "prompt": data.get("idea", "")}
