from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.pwa import offline_copy
from tracker import pages
from tracker.forms import NightStomachForm, QuickNightForm


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
    context = pages.dashboard_context(user=request.user, days=days, now=timezone.now())
    if context["last_night"] is None or context["last_night"].night is None:
        context["quick_night_form"] = QuickNightForm(
            initial={"evening": context["last_night_evening"]}, auto_id="quick_%s"
        )
    else:
        # Saved: the morning card asks the optional stomach question next, one tap an answer.
        context["stomach_form"] = NightStomachForm(auto_id="stomach_%s")
    return render(request, "tracker/dashboard.html", context)
