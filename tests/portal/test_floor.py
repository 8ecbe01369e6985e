"""The floor every signed-in page pays before its view runs: what it reads, what it answers.

A bare view behind the whole middleware stack (as bench/bench_pages_cpu.py's "hello"): a
signed-in request reads its session and its user, nothing else, and writes nothing.
"""

import datetime

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.models import Session
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from portal.sessions import SessionStore


def _hello(request):
    return HttpResponse(f"hello {request.user.pk}", content_type="text/plain")


urlpatterns = [path("floor/", _hello)]


@pytest.fixture
def floor_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_a_signed_in_request_reads_its_session_and_user_only(
    floor_urls, user_client, user, django_assert_num_queries
):
    user_client.get("/floor/")  # the first answer may set the CSRF cookie
    with django_assert_num_queries(2) as captured:
        response = user_client.get("/floor/")
    assert response.content == f"hello {user.pk}".encode()
    session_read, user_read = (query["sql"] for query in captured.captured_queries)
    assert "django_session" in session_read and "accounts_user" in user_read


def test_an_anonymous_request_reads_nothing(floor_urls, client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/floor/").content == b"hello None"


def test_the_session_store_reads_what_it_saved(db):
    store = SessionStore()
    store["note"] = "kept"
    store.save()

    assert SessionStore(session_key=store.session_key).load() == {"note": "kept"}


def test_a_changed_session_is_written_back_in_one_update(db, django_assert_num_queries):
    store = SessionStore()
    store["note"] = "kept"
    store.save()
    expiry = timezone.now() + datetime.timedelta(days=3)
    store["note"] = "changed"
    store.set_expiry(expiry)

    with django_assert_num_queries(1) as captured:
        store.save()

    assert captured.captured_queries[0]["sql"].startswith("UPDATE")
    assert SessionStore(session_key=store.session_key).load()["note"] == "changed"
    assert Session.objects.get(session_key=store.session_key).expire_date == expiry


def test_saving_a_session_deleted_meanwhile_raises_update_error(db):
    store = SessionStore()
    store["note"] = "kept"
    store.save()
    Session.objects.filter(session_key=store.session_key).delete()
    store["note"] = "changed"

    with pytest.raises(UpdateError):
        store.save()
    assert not Session.objects.exists()


def test_an_expired_session_reads_empty_and_loses_its_key(db):
    store = SessionStore()
    store["note"] = "kept"
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )

    expired = SessionStore(session_key=store.session_key)
    assert expired.load() == {}
    assert expired.session_key is None


def test_a_deleted_session_signs_the_browser_out(floor_urls, user_client, user):
    assert user_client.get("/floor/").content == f"hello {user.pk}".encode()
    Session.objects.all().delete()

    assert user_client.get("/floor/").content == b"hello None"
