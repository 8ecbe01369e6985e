"""Reminders' own page: the unsubscribe link. The settings page and the taken/skip links
change other apps too, so they live in flows/views.py."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from reminders import selectors, services, tokens


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
