from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.pwa import offline_copy
from tracker import page_cache, pages
from tracker.evening import morning_first
from tracker.forms import NightStomachForm, QuickNightForm
from tracker.models.stamp import GROUPS


@login_required
@offline_copy
@require_GET
def dashboard(request):
    try:
        days = int(request.GET.get("days", 30))
    except ValueError:
        days = 30
    if days not in pages.PERIODS:
        days = 30
    user = request.user
    now = timezone.now()
    page_parts = page_cache.PageParts(user=user, now=now)
    # Changes with the hour, so part of the whole page's key, not of the parts.
    morning = morning_first(now, user.zone, user.wake_time, user.bedtime)
    return page_cache.whole_page(
        request,
        page_parts,
        "dashboard_page",
        reads=GROUPS,
        extra=(days, morning),
        render=lambda extra_context: _render(
            request, days=days, now=now, morning=morning, page_parts=page_parts, **extra_context
        ),
    )


def _render(request, *, days: int, now, morning: bool, page_parts, **extra_context):
    user = request.user
    context = {
        **pages.dashboard_context(user=user, days=days, now=now, page_parts=page_parts),
        "morning_first": morning,
        **extra_context,
    }
    if context["last_night"] is None or context["last_night"].night is None:
        context["quick_night_form"] = QuickNightForm(
            initial={"evening": context["last_night_evening"]}, auto_id="quick_%s"
        )
    else:
        # Saved: the morning card asks the optional stomach question next, one tap an answer.
        context["stomach_form"] = NightStomachForm(auto_id="stomach_%s")
    return render(request, "tracker/dashboard.html", context)
