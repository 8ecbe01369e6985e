"""A signed-in GET does not write the session row (a write costs an UPDATE on every visit).

The one exception is a flash message, which SessionStorage keeps in the session until the
next page shows it: opening the night form for a night already logged says so on the entry
it opens (stored on the redirect, dropped once shown).
"""

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.main_pages import EVENING, main_pages_seed

pytestmark = pytest.mark.django_db


def _session_writes(client, path) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, follow=True)
    assert response.status_code == 200, path
    return [
        query["sql"]
        for query in captured.captured_queries
        if "django_session" in query["sql"] and not query["sql"].startswith("SELECT")
    ]


def test_only_a_flash_message_writes_the_session_on_a_get(user_client, user):
    with time_machine.travel(EVENING, tick=False):
        pages = main_pages_seed(user=user, now=EVENING)
        for path in pages.signed_in:
            user_client.get(path, follow=True)  # the session's first visits, as after sign-in
        writing = {
            path: len(writes)
            for path in pages.signed_in
            if (writes := _session_writes(user_client, path))
        }
    # Last night is logged: the night form opens it with "You already logged …" (saved on
    # the redirect, dropped from the session once the entry page shows it).
    assert writing == {"/tracker/nights/new/": 2}
