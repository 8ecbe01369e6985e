"""The link tokens: Django's signing format, bound to purpose, expiring, key rotation-safe."""

import pytest
import time_machine
from django.core import signing

from reminders import tokens
from tests.factories import link_token


def test_a_token_is_exactly_what_djangos_timestamp_signer_makes_and_reads():
    with time_machine.travel("2026-03-01 12:00:00+00:00", tick=False):
        ours = link_token(purpose=tokens.TAKEN, user_id=7, delivery_id=42)
        django_signer = signing.TimestampSigner(salt="reminders.link.taken")
        assert ours == django_signer.sign("7.42")
        assert django_signer.unsign(ours, max_age=60) == "7.42"


def test_a_token_is_bound_to_its_purpose_and_expires():
    with time_machine.travel("2026-03-01 12:00:00+00:00", tick=False):
        token = link_token(purpose=tokens.TAKEN, user_id=7, delivery_id=42)
        assert tokens.token_read(purpose=tokens.TAKEN, token=token) == tokens.TokenData(7, 42)
        with pytest.raises(tokens.BadToken):
            tokens.token_read(purpose=tokens.SKIP, token=token)
        with pytest.raises(tokens.BadToken):
            tokens.token_read(
                purpose=tokens.TAKEN, token=token[:-1] + ("A" if token[-1] != "A" else "B")
            )
    with time_machine.travel("2026-03-03 00:01:00+00:00", tick=False):  # just past 36 h
        with pytest.raises(tokens.BadToken):
            tokens.token_read(purpose=tokens.TAKEN, token=token)


def test_a_token_signed_before_a_key_rotation_still_reads(settings):
    settings.SECRET_KEY = "old-key-" + "x" * 50
    token = link_token(purpose=tokens.UNSUBSCRIBE, user_id=3, delivery_id=9)
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = (
        "new-key-" + "y" * 50,
        [settings.SECRET_KEY],
    )
    assert tokens.token_read(purpose=tokens.UNSUBSCRIBE, token=token).delivery_id == 9
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(tokens.BadToken):
        tokens.token_read(purpose=tokens.UNSUBSCRIBE, token=token)
