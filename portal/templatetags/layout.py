"""`{% load layout %}`: the shared layout's pieces that are the same for everyone.

`{% invariant [value ...] %}…{% endinvariant %}` renders its content once per active language,
URL configuration and listed values, and reuses that text while the template is loaded:
the header, navigation, footer and the offline strings were about 1 ms of every page (a
dozen URL reverses, static-file lookups and some fifty translations), and none of it
depends on the person or the data. Only what is listed may vary, so what goes inside must
not show anything else about the request (no user data, no CSRF token, no messages).

The text lives on the parsed template, in this process: a new deploy (a restart) or a
changed template (the development server re-parses it) starts empty, and a test that
changes a setting clears it (`setting_changed`).
"""

import weakref

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

register = template.Library()

# node → {key: rendered text}; weak so a re-parsed template's old node takes its texts along.
_rendered: "weakref.WeakKeyDictionary[template.Node, dict]" = weakref.WeakKeyDictionary()

# Each section of the main navigation, by the start of its pages' paths (nav.html).
_SECTIONS = (
    ("/tracker/nights/", "log"),
    ("/tracker/doses/", "log"),
    ("/articles/", "articles"),
    ("/reminders/", "reminders"),
    ("/accounts/", "account"),
)


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _rendered.clear()


class InvariantNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist = nodelist
        self.values = values

    def render(self, context):
        key = (
            get_language(),
            get_urlconf(),
            get_script_prefix(),
            *(value.resolve(context) for value in self.values),
        )
        texts = _rendered.setdefault(self, {})
        text = texts.get(key)
        if text is None:
            # NodeList.render escapes each variable and returns safe text already.
            text = texts[key] = self.nodelist.render(context)
        return text


@register.tag
def invariant(parser, token):
    """{% invariant %}…{% endinvariant %} or {% invariant user.is_authenticated %}…"""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endinvariant",))
    parser.delete_first_token()
    return InvariantNode(nodelist, values)


@register.filter
def nav_section(path: str) -> str:
    """Which main-navigation entry a path belongs to ("" for none), for aria-current."""
    if path == "/tracker/":
        return "dashboard"
    if path == "/tracker/log/":
        return "log"
    for start, section in _SECTIONS:
        if start in path:
            return section
    return ""
