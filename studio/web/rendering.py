"""The template engine Studio renders pages with: Django's, plus one guarantee — a page is
always text that can be sent. A lone UTF-16 surrogate read back from stored data (a title
in a generation's JSON params, stored before the validator refused them) becomes U+FFFD
here, once, instead of failing the UTF-8 encoding of the whole page."""
from __future__ import annotations

import re

from django.template.backends.django import DjangoTemplates

_SURROGATE = re.compile("[\ud800-\udfff]")


def sendable(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text)


class _Template:
    def __init__(self, template):
        self.template = template

    def __getattr__(self, name):
        return getattr(self.template, name)

    def render(self, context=None, request=None) -> str:
        return sendable(self.template.render(context, request))


class Templates(DjangoTemplates):
    def from_string(self, template_code):
        return _Template(super().from_string(template_code))

    def get_template(self, template_name):
        return _Template(super().get_template(template_name))
