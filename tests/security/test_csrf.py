"""CSRF on every state-changing view: a POST without the token is refused (403) and changes
nothing, whoever sends it; the few views that take POSTs without a CSRF token are listed here
with the reason, and a new one fails the suite until it is added with its own.

The walk is the access matrix's (tests/portal/test_access_matrix.py): every URL the resolver
knows, signed in as the kind of user its rule names, with real objects and real link tokens
where the URL names them.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory
from tests.portal import test_access_matrix as matrix
from tests.security.conftest import populate, snapshot, snapshot_difference

pytestmark = pytest.mark.django_db

# View name → why a POST without a CSRF token is safe there. Nothing else may be exempt.
CSRF_EXEMPT = {
    "reminders:unsubscribe": (
        "RFC 8058 one-click unsubscribe: the mail provider POSTs it with no session and no "
        "CSRF token; the signed link is the whole authority and it can only turn email off"
    ),
    "sharing:open": (
        "the share link's passcode form: under Referrer-Policy no-referrer browsers post it "
        "with Origin: null; the token in the URL (and the passcode) is the whole authority, "
        "nothing rests on the reader's session (see the comment above sharing.views.share_open)"
    ),
    # The three actions of a reminder: a push notification's action buttons POST them from the
    # service worker, which has no page and so no CSRF token. The signed, expiring,
    # single-purpose token in the URL names the user and the delivery; a forged cross-site POST
    # needs that token, which only the recipient's inbox or device holds (tests/security/
    # test_tokens.py: tampered, expired, foreign and other-purpose tokens change nothing).
    "reminders:taken": "a reminder's signed link: the URL's token is the whole authority "
    "(a notification action POSTs it without a page or a CSRF token)",
    "reminders:skip": "a reminder's signed link, as reminders:taken",
    "reminders:snooze": "a reminder's signed link, as reminders:taken",
    "tracker:sleep_import": (
        "not exempt in effect: the outer csrf_exempt only lets the upload-size cap be set "
        "before the body is read, then csrf_protect checks the token (Django's documented "
        "pattern; tests/tracker/test_sleep_import_views.py posts without a token: 403)"
    ),
}
# Whole namespaces whose views authenticate every request by a header, never by a cookie.
CSRF_EXEMPT_NAMESPACES = {
    "api-v1": "the JSON API: a bearer token in the Authorization header, never the session "
    "cookie (tests/api/test_auth.py: a session does not open the API)",
    "anymail": "the email provider's tracking webhook: HTTP basic auth with "
    "ANYMAIL_WEBHOOK_SECRET, mounted only for the configured provider",
}


def _exempt_reason(name: str) -> str | None:
    return CSRF_EXEMPT.get(name) or CSRF_EXEMPT_NAMESPACES.get(name.split(":", 1)[0])


def _callbacks():
    """(rule key, url name or None, route, arguments, view function) for every URL."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace="", prefix="", arguments=()):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            names = arguments + tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, inner, route, names)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else None
                yield name or route, name, route, names, pattern.callback

    return sorted(walk(get_resolver().url_patterns), key=lambda entry: entry[0])


def test_only_the_declared_views_skip_the_csrf_check():
    exempt = {key for key, _n, _r, _a, view in _callbacks() if getattr(view, "csrf_exempt", 0)}
    undeclared = {key for key in exempt if _exempt_reason(key) is None}
    assert not undeclared, f"csrf_exempt views without a reason in {__name__}: {undeclared}"
    assert set(CSRF_EXEMPT) <= exempt, f"declared but no longer exempt: {set(CSRF_EXEMPT) - exempt}"


def _url_for(name, route, arguments, world) -> str:
    if name is None:
        return matrix.path_of_unnamed(route)
    real = {}
    if name in matrix.OWNED_BY_URL:
        real[matrix.owner_argument(arguments)] = str(world[matrix.OWNED_BY_URL[name]].pk)
    link_tokens = {
        "reminders:taken": world["links"]["taken"],
        "reminders:skip": world["links"]["skip"],
        "reminders:snooze": world["links"]["snooze"],
        "reminders:unsubscribe": world["links"]["unsubscribe"],
        "sharing:open": world["share_token"],
        "sharing:pdf": world["share_token"],
        "sharing:fhir_shared": world["share_token"],
        "calendar:feed": world["feed"].token,
    }
    if name in link_tokens:
        real["token"] = link_tokens[name]
    return matrix.concrete_url(name, arguments, **real)


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(user, at_now):
    world = populate(user, "csrf probe")
    staff = UserFactory(is_staff=True, is_superuser=True)
    clients = {}
    for who, account in (("anonymous", None), ("user", user), ("staff", staff)):
        clients[who] = Client(enforce_csrf_checks=True)
        if account is not None:
            clients[who].force_login(account)
    sender = {
        matrix.PUBLIC: "anonymous",
        matrix.LINK: "anonymous",
        matrix.SIGN_IN_STEP: "anonymous",
        matrix.TOKEN: "anonymous",
        matrix.USER: "user",
        matrix.OWNER: "user",
        matrix.STAFF: "staff",
    }
    before = snapshot()
    accepted, checked = [], 0
    for key, name, route, arguments, view in _callbacks():
        if getattr(view, "csrf_exempt", False) or _exempt_reason(key):
            continue  # declared above, each with its reason
        rule = matrix.rule_for(key)
        url = _url_for(name, route, arguments, world)
        # A plausible form body: were the check missing, the view would act on it.
        body = {"confirm": "on", "enabled": "on", "severity": "3", "name": "x", "label": "x"}
        response = clients[sender[rule]].post(url, body)
        checked += 1
        if response.status_code != 403 or b"CSRF" not in response.content:
            accepted.append((key, response.status_code))
    assert not accepted, f"POSTs without a CSRF token that were not refused: {accepted}"
    assert checked > 100  # the whole resolver, not a handful
    assert not snapshot_difference(before, snapshot())
    # The signed-in sessions survived every refusal: the refusal was CSRF, not sign-out.
    assert clients["user"].get(reverse("tracker:dashboard")).status_code == 200


def test_the_share_link_without_csrf_can_only_unlock_what_its_token_opens(user, at_now):
    world = populate(user, "share probe")
    share = Client(enforce_csrf_checks=True)
    before = snapshot()
    response = share.post(reverse("sharing:open", args=[world["share_token"]]))
    assert response.status_code in (200, 302)
    changed = snapshot_difference(before, snapshot())
    assert set(changed) <= {"sharing.ShareView"}  # at most the view it records
    assert share.post(reverse("sharing:open", args=["x" + world["share_token"]])).status_code == 404
