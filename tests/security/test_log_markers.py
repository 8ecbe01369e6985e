"""Planted markers never reach a log: unique markers in every health field and every token,
the views exercised (pages, validation errors, 404s, bad links, wrong passcodes, API
errors) with every logger at DEBUG, and nothing the log handler writes contains one.

What is checked is what the real stdout handler prints (its filters redact link tokens),
with the logging configured as LOG_LEVEL=DEBUG configures it.
"""

import io
import logging
import logging.config
import runpy
import uuid
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portal.logging import RedactLinkTokensFilter
from tests.factories import UserFactory
from tests.portal import test_access_matrix as matrix
from tests.security.conftest import NOW, populate

pytestmark = pytest.mark.django_db
BASE_DIR = Path(__file__).resolve().parents[2]


def _logging_at_debug(monkeypatch) -> dict:
    """LOGGING exactly as the settings build it when LOG_LEVEL=DEBUG."""
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    return runpy.run_path(str(BASE_DIR / "portal" / "settings" / "base.py"))["LOGGING"]


@pytest.fixture
def log_output(monkeypatch):
    """What the stdout handler prints with the logging configured for LOG_LEVEL=DEBUG."""
    logging.config.dictConfig(_logging_at_debug(monkeypatch))
    handler = next(
        h for h in logging.getLogger().handlers
        if any(isinstance(f, RedactLinkTokensFilter) for f in h.filters)
    )  # fmt: skip
    assert logging.getLogger("restwell").getEffectiveLevel() == logging.DEBUG
    captured = io.StringIO()
    handler.setStream(captured)
    try:
        yield captured
    finally:
        logging.config.dictConfig(settings.LOGGING)


def test_no_planted_marker_reaches_the_log(user, log_output):
    marker = f"MRK{uuid.uuid4().hex[:12]}"
    with time_machine.travel(NOW, tick=False):
        world = populate(user, f"{marker} restless legs")
        client = Client()
        client.force_login(user)
        skip = {"tracker:report_pdf"}
        for name, arguments in matrix.named(matrix.USER):
            if name not in skip:
                client.get(matrix.concrete_url(name, arguments))
        # Validation errors carrying the marker.
        client.post(reverse("tracker:night_new"), {"severity": "99", "notes": marker * 400})
        client.post(reverse("tracker:dose_new"), {"amount_mg": marker, "note": marker})
        client.post(reverse("tracker:medicines"), {"kind": "nope", "name": marker})
        client.post(reverse("sharing:shares"), {"label": marker * 20, "days": "-1"})
        # Another user's object and a missing one: 404s.
        stranger = Client()
        stranger.force_login(UserFactory())
        stranger.get(reverse("tracker:night_edit", args=[world["night"].pk]))
        client.get("/tracker/nights/999999/edit/")
        # The links and tokens, good and bad.
        for purpose, token in world["links"].items():
            Client().get(reverse(f"reminders:{purpose}", args=[token]))
            Client().post(reverse(f"reminders:{purpose}", args=[token + "x"]))
        Client().post(reverse("sharing:open", args=[world["share_token"]]), {"passcode": marker})
        Client().get(reverse("sharing:open", args=[world["share_token"][:-2] + "zz"]))
        Client().get(reverse("calendar:feed", args=[world["feed"].token]))
        Client().get(reverse("calendar:feed", args=[world["feed"].token + "x"]))
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {world['api_secret']}"}
        Client().get("/api/v1/nights/", **bearer)
        Client().post(
            "/api/v1/nights/", {"notes": marker}, content_type="application/json", **bearer
        )
        Client().get("/api/v1/nights/", HTTP_AUTHORIZATION=f"Bearer {world['api_secret']}x")
        Client().post(reverse("account_login"), {"login": user.email, "password": marker})
    written = log_output.getvalue()
    assert written, "nothing was logged: the capture is not working"
    secrets = {
        "marker": marker,
        "share token": world["share_token"],
        "api secret": world["api_secret"],
        "calendar token": world["feed"].token,
        **{
            f"{purpose} link": token.rsplit(":", 1)[-1] for purpose, token in world["links"].items()
        },
    }
    leaked = [name for name, value in secrets.items() if value in written]
    assert not leaked, f"in the log: {leaked}"
