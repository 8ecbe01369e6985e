"""Django's built-in form messages are replaced by ones that say what to do (locale/en)."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES" / "django.po"


def catalog_entries() -> list[dict]:
    """The entries of our .po file: msgid, msgid_plural, msgstr / msgstr[n]."""
    entries, entry, key = [], {}, None
    for line in CATALOG.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line:
            if entry.get("msgid"):
                entries.append(entry)
            entry, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


@pytest.mark.parametrize("entry", catalog_entries(), ids=lambda entry: entry["msgid"][:40])
def test_the_compiled_catalog_says_what_the_source_says(entry):
    """Fails when locale/en/LC_MESSAGES/django.mo is older than the .po: run `make messages`."""
    with translation.override("en"):
        if "msgid_plural" in entry:
            assert ngettext(entry["msgid"], entry["msgid_plural"], 1) == entry["msgstr[0]"]
            assert ngettext(entry["msgid"], entry["msgid_plural"], 5) == entry["msgstr[1]"]
        else:
            assert gettext(entry["msgid"]) == entry["msgstr"]


def test_no_message_only_describes_a_rule():
    for entry in catalog_entries():
        for key, text in entry.items():
            if key.startswith("msgstr"):
                assert not re.match(r"(Ensure|Select a valid|This field)", text), text


@pytest.mark.django_db
def test_a_form_left_empty_or_too_long_says_what_to_do(user_client):
    response = user_client.post(reverse("accounts:profile"), {"display_name": "x" * 500})
    assert response.status_code == 200
    assert "This field is required." not in response.text
    assert "Ensure this value" not in response.text
    assert "Please fill this in." in response.text
    assert "Please shorten this to 80 characters or fewer (it has 500)." in response.text
