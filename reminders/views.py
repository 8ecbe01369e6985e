"""Reminders' own pages: the unsubscribe and snooze links, the calendar feed and its link,
the email preview, the devices that get notifications.
The settings page and the taken/skip links change other apps too, so they live in
flows/views.py."""

import json

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reminders import selectors, services, tokens
from reminders.calendar_feed import feed_ics
from reminders.models import ReminderKind


@never_cache
@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    delivery = selectors.delivery_for_token(token=token, purpose=tokens.UNSUBSCRIBE)
    if delivery is None:
        return render(request, "reminders/link_invalid.html", status=400)
    if request.method == "POST":
        services.reminders_turn_off(user_id=delivery.user_id)
        return render(request, "reminders/unsubscribed.html")
    return render(request, "reminders/unsubscribe_confirm.html")


@never_cache
# The signed token, not the session, says who acts: a notification's action POSTs here from
# the service worker, which has no CSRF token (as the one-click unsubscribe above).
@csrf_exempt
@require_http_methods(["GET", "POST"])
def snooze(request, token):
    """ "Remind me in 30 minutes": GET says what a snooze would do; POST snoozes."""
    delivery = selectors.delivery_for_token(token=token, purpose=tokens.SNOOZE)
    if delivery is None or delivery.kind != ReminderKind.EVENING:
        return render(request, "reminders/link_invalid.html", status=400)
    with timezone.override(delivery.user.zone):
        now = timezone.now()
        if request.method == "POST":
            state = services.delivery_snooze(delivery=delivery, now=now)
            done = state.refusal is None
        else:
            state = selectors.snooze_state(delivery=delivery, now=now)
            done = False
        return render(
            request,
            "reminders/snooze.html",
            {"state": state, "done": done, "minutes": selectors.SNOOZE_DELAY.seconds // 60},
        )


@require_safe
def calendar_feed(request, token):
    """The private iCalendar feed: anyone with the link, no session; 404 for any other token.

    Never stored by a cache (the link can be reset) and never indexed.
    """
    feed = selectors.calendar_feed_for_token(token=token)
    if feed is None:
        raise Http404
    user = feed.user
    body = feed_ics(
        user=user,
        reminder_settings=selectors.reminder_settings_get(user=user),
        today=timezone.now().astimezone(user.zone).date(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store, private"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Content-Disposition"] = 'inline; filename="restwell-reminders.ics"'
    return response


@login_required
@require_POST
def calendar_reset(request):
    """Make the calendar link, or replace it: the old one stops working at once."""
    had_one = selectors.calendar_links_get(user=request.user) is not None
    services.calendar_feed_reset(user=request.user, now=timezone.now())
    if had_one:
        messages.success(request, _("Your calendar link is new. The old link no longer works."))
    else:
        messages.success(request, _("Your calendar link is ready."))
    return redirect(reverse("reminders:settings") + "#calendar")


@login_required
@require_POST
def calendar_delete(request):
    """Turn the calendar link off: its URL answers 404 from now on."""
    if services.calendar_feed_delete(user=request.user):
        messages.success(request, _("Your calendar link is off. It no longer works."))
    return redirect(reverse("reminders:settings") + "#calendar")


@login_required
@require_safe
@xframe_options_sameorigin
# An email styles itself inline (mail clients drop stylesheets), so this one response allows
# inline styles; it has no script at all, and only our own settings page may frame it.
@csp_replace({"style-src": [SELF, UNSAFE_INLINE], "script-src": [NONE], "frame-ancestors": [SELF]})
def email_preview(request):
    """The evening email as it will arrive, shown inside the settings page."""
    html = selectors.evening_email_preview(user=request.user, now=timezone.now())
    return HttpResponse(html)


@login_required
@require_safe
def devices(request):
    """The devices this account gets reminder notifications on: list, remove, add this one."""
    return render(
        request,
        "reminders/devices.html",
        {
            "devices": selectors.push_devices_get(user=request.user),
            "vapid_public_key": selectors.push_public_key(),
            "device_limit": services.DEVICE_LIMIT,
        },
    )


# A subscription is a few hundred bytes of JSON; anything much larger is not one.
_SUBSCRIPTION_MAX_BYTES = 4096


@login_required
@require_POST
def device_subscribe(request):
    """This browser's PushSubscription (JSON, sent with the CSRF header by push.js)."""
    refusal = _("This browser did not give a usable subscription. Reload the page and try again.")
    if not selectors.push_public_key():
        return JsonResponse(
            {"message": _("Notifications are not set up on this site.")}, status=409
        )
    if len(request.body) > _SUBSCRIPTION_MAX_BYTES:
        return JsonResponse({"message": refusal}, status=400)
    try:
        data = json.loads(request.body)
        keys = data.get("keys") or {}
        endpoint, p256dh, auth = data.get("endpoint"), keys.get("p256dh"), keys.get("auth")
    except (ValueError, AttributeError):
        return JsonResponse({"message": refusal}, status=400)
    if not all(isinstance(value, str) for value in (endpoint, p256dh, auth)):
        return JsonResponse({"message": refusal}, status=400)
    try:
        services.push_subscription_save(
            user=request.user,
            endpoint=endpoint,
            p256dh=p256dh,
            auth=auth,
            label=selectors.device_label(request.headers.get("User-Agent", "")),
            now=timezone.now(),
        )
    except ValidationError as error:
        return JsonResponse({"message": " ".join(error.messages)}, status=400)
    return JsonResponse(
        {"message": _("Reminders will appear on this device as notifications.")}, status=201
    )


@login_required
@require_POST
def device_remove(request, pk):
    if not services.push_subscription_delete(user=request.user, pk=pk):
        raise Http404
    messages.success(request, _("That device will get no more notifications."))
    return redirect("devices:list")
