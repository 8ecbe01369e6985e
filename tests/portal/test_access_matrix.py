"""The access matrix: every URL the resolver knows has a declared rule, and each rule holds.

A new URL without a rule here fails the suite, so nobody adds a page without saying who may
open it. The rules:

- PUBLIC: anyone; an anonymous visitor is never sent to sign in and never sees a 500.
- USER: a signed-in user's own page (no object in the URL); anonymous visitors are sent to
  sign in, for GET and POST alike.
- OWNER: a user's object by id; anonymous visitors are sent to sign in, and another user's
  id answers 404 (never 403, never the object), for GET and POST alike.
- STAFF: the admin; anonymous visitors and signed-in non-staff users go to the admin login.
  Which staff see what inside the admin is `tests/accounts/test_admin_access.py`.
- SIGN_IN_STEP: a later step of signing in (a code, the second factor); without a sign-in
  under way it sends the visitor back to sign in, as USER pages do.
- TOKEN: the JSON API; without a bearer token it answers 401 (JSON), never a page, never
  a sign-in redirect. Which token sees what is tests/api/.
- LINK: a capability in the URL (a signed email link); a bogus capability answers a
  friendly page, never a 500, and changes nothing.
"""

import datetime
import re

import pytest
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from api.models import PersonalAccessToken
from api.services import token_create
from reminders.models import PushSubscription, ReminderSetting
from sharing.models import ShareLink
from sharing.services import share_create
from tests.factories import UserFactory
from tests.pdf_download import pdf_job_made
from tracker import services
from tracker.models import Dose, LabResult, NightLog, OtherMedicine, SleepImport

pytestmark = pytest.mark.django_db

PUBLIC, USER, OWNER, STAFF, LINK = "public", "user", "owner", "staff", "link"
TOKEN = "token"
SIGN_IN_STEP = "sign-in step"

MEDIA_ROUTE = "^media/(?P<path>.*)$"

RULES = {
    # portal
    "home": PUBLIC,
    "privacy": PUBLIC,
    "healthz": PUBLIC,
    "healthz_ready": PUBLIC,
    "favicon.ico": PUBLIC,
    "sitemap": PUBLIC,
    "robots_txt": PUBLIC,
    "manifest": PUBLIC,  # the installable app: manifest, service worker, offline page
    "service_worker": PUBLIC,
    "offline": PUBLIC,
    MEDIA_ROUTE: PUBLIC,  # DEBUG only: uploaded files (none are personal)
    # accounts (ours)
    "accounts:profile": USER,
    "accounts:export": USER,
    "accounts:delete": USER,
    "accounts:sign_out": PUBLIC,  # allauth's sign-out, wrapped to clear this browser's data
    "accounts:verification_sent": PUBLIC,  # "check your email", shown over allauth's own
    "accounts:verification_resend": PUBLIC,
    # allauth: signing in and recovering an account are for anyone ...
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_email_verification_sent": PUBLIC,
    "account_confirm_login_code": SIGN_IN_STEP,
    "account_confirm_email": LINK,
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "account_reset_password_from_key": LINK,
    "account_reset_password_from_key_done": PUBLIC,
    "mfa_authenticate": SIGN_IN_STEP,
    # ... and managing one needs it
    "account_reauthenticate": USER,
    "account_email": USER,
    "account_change_password": USER,
    "account_set_password": USER,
    "mfa_index": USER,
    "mfa_reauthenticate": USER,
    "mfa_activate_totp": USER,
    "mfa_deactivate_totp": USER,
    "mfa_view_recovery_codes": USER,
    "mfa_generate_recovery_codes": USER,
    "mfa_download_recovery_codes": USER,
    "usersessions_list": USER,
    # articles: signed-in readers unless ARTICLES_PUBLIC; the feed lists titles only
    "articles:list": USER,
    "articles:detail": USER,
    "articles:feed": PUBLIC,
    # tracker
    "tracker:dashboard": USER,
    "tracker:log": USER,
    "tracker:night_list": USER,
    "tracker:night_new": USER,
    "tracker:night_edit": OWNER,
    "tracker:night_delete": OWNER,
    "tracker:night_stomach": OWNER,
    "tracker:dose_list": USER,
    "tracker:dose_new": USER,
    "tracker:dose_quick": USER,
    "tracker:dose_undo": OWNER,
    "tracker:dose_edit": OWNER,
    "tracker:dose_delete": OWNER,
    "tracker:product": USER,
    "tracker:medicines": USER,
    "tracker:medicine_delete": OWNER,
    "tracker:labs": USER,
    "tracker:iron": USER,
    "tracker:lab_delete": OWNER,
    "tracker:trial": USER,
    "tracker:experiment": USER,
    "tracker:experiment_start": USER,
    "tracker:experiment_look": USER,
    "tracker:experiment_amend": USER,
    "tracker:experiment_stop": USER,
    "tracker:experiment_discard": USER,
    "tracker:experiment_report": USER,
    "tracker:experiment_capsule": USER,
    "tracker:experiment_helper_sheet": USER,
    "tracker:export_csv": USER,
    "tracker:report": USER,
    "tracker:report_pdf": USER,
    "tracker:pdf_job": OWNER,  # the waiting page of a PDF being made: its job id is the object
    "tracker:pdf_job_status": OWNER,
    "tracker:pdf_job_file": OWNER,
    "tracker:sleep_import": USER,
    "tracker:sleep_import_review": OWNER,
    "tracker:sleep_import_delete": OWNER,
    # reminders
    "reminders:settings": USER,
    "reminders:onboarding": USER,
    "reminders:taken": LINK,
    "reminders:skip": LINK,
    "reminders:unsubscribe": LINK,
    "reminders:snooze": LINK,
    "reminders:calendar_reset": USER,
    "reminders:calendar_delete": USER,
    "reminders:email_preview": USER,
    "calendar:feed": LINK,
    "devices:list": USER,
    "devices:subscribe": USER,
    "devices:remove": OWNER,
    # sharing: the patient's side, then the clinician's (the token is the capability)
    "sharing:shares": USER,
    "sharing:revoke": OWNER,
    "sharing:fhir": USER,
    "sharing:open": LINK,
    "sharing:pdf": LINK,
    "sharing:pdf_job": LINK,  # and a job made through that link (tests/sharing/test_links.py)
    "sharing:pdf_job_status": LINK,
    "sharing:pdf_job_file": LINK,
    "sharing:fhir_shared": LINK,
    # the API: tokens are made on the account page; the API itself answers tokens only
    "api:tokens": USER,
    "api:token_revoke": OWNER,
    "api-v1:index": PUBLIC,  # says where the schema is
    "api-v1:api-root": PUBLIC,
    "api-v1:openapi-json": PUBLIC,  # the schema: no data
    "api-v1:dashboard": TOKEN,
    "api-v1:night_list": TOKEN,
    "api-v1:night_create": TOKEN,
    "api-v1:night_detail": TOKEN,
    "api-v1:dose_list": TOKEN,
    "api-v1:dose_create": TOKEN,
    "api-v1:dose_detail": TOKEN,
}
# Every admin page, whatever its name: the admin is for staff.
STAFF_NAMESPACES = ("admin",)

# A value for every URL argument name the project uses: bogus on purpose, except where a
# rule replaces it with a real object's id.
SAMPLE_ARGUMENTS = {
    "pk": "999999",
    "token": "not-a-real-token",
    "key": "not-a-real-key",
    "uidb36": "zz",
    "slug": "no-such-article",
    "path": "nothing-here.txt",
    "object_id": "999999",
    "id": "999999",
    "night_id": "999999",
    "dose_id": "999999",
    "content_type_id": "999999",
    "app_label": "accounts",
    "url": "nothing",
    "job": "no-such-job",
}


def routes(patterns=None, namespace="", prefix="", arguments=()):
    """(rule key, url name to reverse or None, route text, argument names) for every URL."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        names = arguments + tuple(pattern.pattern.regex.groupindex)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes(pattern.url_patterns, inner, route, names)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}{pattern.name}" if pattern.name else None
            yield name or route, name, route, names


# URLs whose regex has unnamed groups (django-simple-history's restore page in the admin,
# /admin/articles/article/<id>/history/<version>/): reversed with positional arguments.
POSITIONAL_ARGUMENTS = {"admin:articles_article_simple_history": ("999999", "999999")}


def concrete_url(name: str, arguments: tuple, **real) -> str:
    if name in POSITIONAL_ARGUMENTS:
        return reverse(name, args=POSITIONAL_ARGUMENTS[name])
    return reverse(name, kwargs={arg: real.get(arg, SAMPLE_ARGUMENTS[arg]) for arg in arguments})


def all_routes():
    return sorted(set(routes()), key=lambda entry: entry[0])


def rule_for(key: str) -> str | None:
    # A name is "namespace:name"; an unnamed URL's key is its route, "namespace/...".
    if key.split(":", 1)[0] in STAFF_NAMESPACES or key.split("/", 1)[0] in STAFF_NAMESPACES:
        return STAFF
    return RULES.get(key)


def test_every_url_has_a_declared_rule():
    missing = [route for key, _name, route, _arguments in all_routes() if rule_for(key) is None]
    assert not missing, f"URLs without an access rule in {__name__}: {missing}"


def test_every_rule_names_a_url_that_exists():
    keys = {key for key, *_ in all_routes()} | {MEDIA_ROUTE}  # mounted when DEBUG
    assert not set(RULES) - keys, f"rules for URLs that no longer exist: {set(RULES) - keys}"


def named(rule):
    return [
        (name, args) for key, name, _route, args in all_routes() if name and rule_for(key) == rule
    ]


def unnamed(rule):
    return [route for key, name, route, _args in all_routes() if not name and rule_for(key) == rule]


def path_of_unnamed(route: str) -> str:
    """A path for a route nobody can reverse (the admin's redirects and catch-all)."""
    path = re.sub(r"<[^>]+>", SAMPLE_ARGUMENTS["object_id"], route)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "nothing", path)
    return "/" + path.replace("^", "").replace("$", "")


def login_url(response) -> str:
    return response.headers.get("Location", "") if response.status_code == 302 else ""


@pytest.mark.parametrize(("name", "arguments"), named(USER) + named(OWNER) + named(SIGN_IN_STEP))
def test_anonymous_visitors_are_sent_to_sign_in(client, name, arguments):
    url = concrete_url(name, arguments)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in (302, 405), (name, method.__name__)
        if response.status_code == 302:
            location = login_url(response)
            assert location.startswith(reverse("account_login")), (name, location)
            if rule_for(name) != SIGN_IN_STEP:  # a page to come back to after signing in
                assert REDIRECT_FIELD_NAME in location


@pytest.mark.parametrize(("name", "arguments"), named(PUBLIC))
def test_public_pages_serve_anonymous_visitors(client, name, arguments):
    response = client.get(concrete_url(name, arguments))
    assert response.status_code in (200, 301, 302, 404, 405), name
    assert not login_url(response).startswith(reverse("account_login")), name


ADMIN_WAY_IN_AND_OUT = ("admin:login", "admin:logout")


@pytest.mark.parametrize(
    ("name", "arguments"),
    [(n, a) for n, a in named(STAFF) if n not in ADMIN_WAY_IN_AND_OUT]
    + [(None, route) for route in unnamed(STAFF)],
)
def test_the_admin_sends_everyone_else_to_its_login(client, user, name, arguments):
    # An unnamed admin URL cannot be reversed: its route stands in for its arguments.
    url = concrete_url(name, arguments) if name else path_of_unnamed(arguments)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(user)  # not staff
        response = client.get(url)
        assert response.status_code == 302, (url, signed_in)
        assert response["Location"].startswith(reverse("admin:login")), (url, signed_in)


@pytest.mark.parametrize(("name", "arguments"), named(TOKEN))
def test_the_api_answers_401_without_a_token(client, user, name, arguments):
    url = concrete_url(name, arguments)
    client.force_login(user)  # a session is not a token
    for method in (client.get, client.post):
        response = method(url, content_type="application/json")
        assert response.status_code in (401, 405), (name, method.__name__)
        if response.status_code == 401:
            assert response["Content-Type"].startswith("application/json"), name


def test_bogus_capability_links_answer_without_an_error_and_change_nothing(client, user):
    setting = ReminderSetting.objects.create(user=user, kind="evening", enabled=True)
    for name, arguments in named(LINK):
        url = concrete_url(name, arguments)
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code < 500, (name, method.__name__)
            assert response.status_code != 200 or b"Traceback" not in response.content
    setting.refresh_from_db()
    assert setting.enabled
    assert not NightLog.objects.exists() and not Dose.objects.exists()


@pytest.fixture
def owned_objects(user):
    """One object of each kind an OWNER url names, belonging to `user`."""
    evening = timezone.localdate(timezone=user.zone) - datetime.timedelta(days=2)
    night = services.night_log(user=user, evening=evening, severity=4, sleep_quality=3, times={})
    dose = services.dose_record(
        user=user,
        taken_at=timezone.now() - datetime.timedelta(days=1),
        form="glycinate",
        amount_mg=200,
        unit="elemental",
    )
    medicine = services.medicine_add(user=user, kind="gabapentin", usual_time=None)
    lab = services.lab_record(user=user, taken_on=evening, ferritin_ng_ml=60, tsat_percent=25)
    share, _token = share_create(user=user, label="Dr Lee", start=evening, end=evening)
    token, _secret = token_create(user=user, name="Phone", scope="read", days=30)
    sleep_import = SleepImport.objects.create(
        user=user,
        source="apple_health",
        records=1,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    device = PushSubscription.objects.create(
        user=user,
        endpoint="https://push.example.net/send/abc",
        p256dh="x",
        auth="y",
        created_at=timezone.now(),
    )
    return {
        "pdf_job": pdf_job_made(user),
        "sleep_import": sleep_import,
        "device": device,
        "night": night,
        "dose": dose,
        "medicine": medicine,
        "lab": lab,
        "share": share,
        "token": token,
    }


OWNED_BY_URL = {
    "tracker:night_edit": "night",
    "tracker:night_delete": "night",
    "tracker:night_stomach": "night",
    "tracker:dose_edit": "dose",
    "tracker:dose_delete": "dose",
    "tracker:dose_undo": "dose",
    "tracker:medicine_delete": "medicine",
    "tracker:lab_delete": "lab",
    "sharing:revoke": "share",
    "api:token_revoke": "token",
    "tracker:sleep_import_review": "sleep_import",
    "tracker:sleep_import_delete": "sleep_import",
    "devices:remove": "device",
    "tracker:pdf_job": "pdf_job",
    "tracker:pdf_job_status": "pdf_job",
    "tracker:pdf_job_file": "pdf_job",
}


def owner_argument(arguments: tuple) -> str:
    """The URL argument that names the owned object: a job id, or a primary key."""
    return "job" if "job" in arguments else "pk"


@pytest.mark.parametrize(("name", "arguments"), named(OWNER))
def test_another_users_object_is_404_and_untouched(client, user, owned_objects, name, arguments):
    assert name in OWNED_BY_URL, f"say which object {name} names in OWNED_BY_URL"
    owned = owned_objects[OWNED_BY_URL[name]]
    url = concrete_url(name, arguments, **{owner_argument(arguments): str(owned.pk)})
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404, name
    assert client.get(url).status_code in (404, 405), name  # 405: a POST-only action
    client.force_login(user)
    assert client.get(url).status_code in (200, 405), name
    for model in (NightLog, Dose, OtherMedicine, LabResult):
        assert model.objects.filter(user=user).count() == 1
    assert not ShareLink.objects.filter(user=user, revoked_at__isnull=False).exists()
    assert not PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=False).exists()
    assert SleepImport.objects.filter(user=user).exists()
    assert PushSubscription.objects.filter(user=user).count() == 1
