"""The Engines page's form: a new connection. The key is a password field, never rendered
back; the base URLs must be addresses Studio may call (the outbound guard's rule)."""
from __future__ import annotations

from django import forms

from studio.api import outbound

from .models import Connection, Family


class ConnectionForm(forms.Form):
    name = forms.CharField(label="Name", max_length=60,
                           widget=forms.TextInput(attrs={"placeholder": "e.g. my sunoapi.org account"}))
    family = forms.ChoiceField(label="Vendor", choices=Family.choices, initial=Family.SUNOAPI)
    # the placeholder is the chosen family's (the form starts on sunoapi.org's)
    base_url = forms.URLField(label="API base URL", max_length=300,
                              widget=forms.URLInput(attrs={"placeholder": "https://api.sunoapi.org"}),
                              help_text="sunoapi.org: https://api.sunoapi.org · kie.ai: https://api.kie.ai · "
                                        "legacy: https://api.sunoapi.co")
    api_key = forms.CharField(label="API key", max_length=500, strip=True,
                              widget=forms.PasswordInput(render_value=False),
                              help_text="Kept encrypted; Studio never shows it again.")
    webhook_key = forms.CharField(
        label="Webhook HMAC key (kie, optional)", max_length=500, required=False, strip=True,
        widget=forms.PasswordInput(render_value=False),
        help_text="The vendor's webhook HMAC key: callbacks without its signature are "
                  "refused. Kept encrypted; never shown again.")
    upload_base_url = forms.URLField(
        label="File-upload base URL (v1, optional)", max_length=300, required=False,
        widget=forms.URLInput(attrs={"placeholder": "https://kieai.redpandaai.co"}),
        help_text="Where the vendor takes uploads for covers; without it the vendor fetches "
                  "your audio from Studio (needs STUDIO_BASE_URL).")

    def __init__(self, *args, owner=None, **kwargs):
        self.owner = owner
        super().__init__(*args, **kwargs)

    def _reachable(self, name: str) -> str:
        url = self.cleaned_data.get(name, "")
        if url:
            try:
                outbound.check_url(url, self.fields[name].label, lenient=True)
            except outbound.OutboundError as problem:
                raise forms.ValidationError(problem.message) from None
        return url.rstrip("/")

    def clean_base_url(self):
        return self._reachable("base_url")

    def clean_upload_base_url(self):
        return self._reachable("upload_base_url")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("family") == Family.LEGACY and cleaned.get("upload_base_url"):
            self.add_error("upload_base_url", "The legacy API has no file uploads.")
        return cleaned

    def save(self) -> Connection:
        data = self.cleaned_data
        connection = Connection(owner=self.owner, name=data["name"], family=data["family"],
                                base_url=data["base_url"],
                                upload_base_url=data.get("upload_base_url", ""))
        connection.set_api_key(data["api_key"])
        connection.set_webhook_key(data.get("webhook_key", ""))
        connection.save()
        return connection


class WebhookKeyForm(forms.Form):
    """A connection's webhook HMAC key, set later (blank clears it)."""

    webhook_key = forms.CharField(label="Webhook HMAC key", max_length=500, required=False,
                                  strip=True, widget=forms.PasswordInput(render_value=False))
