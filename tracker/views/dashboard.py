from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.pwa import offline_copy
from tracker import page_cache, pages, reference
from tracker.evening import morning_first
from tracker.forms import NightStomachForm, QuickNightForm
from tracker.models.stamp import GROUPS

# What the quick cards read from the computed context; the rest of the page is the cached
# fragment. The cards themselves hold forms with CSRF tokens, so they render every time.
CARD_DATA = (
    "tonight",
    "last_night",
    "last_night_evening",
    "experiment_card",
    "over_limit",
    "upper_level_total",
    "product",
)


def _card_labels(context: dict) -> dict:
    """The choice labels the quick cards show, looked up once when the cards' data is cached
    (the key holds the language): a model's get_FOO_display builds its choices dict anew on
    each call, about a tenth of a millisecond, three times on every dashboard."""
    night = context["last_night"].night if context["last_night"] else None
    product = context["product"]
    return {
        "last_night_quality": night.get_sleep_quality_display() if night else None,
        "product_form": product.get_form_display() if product else None,
        "product_unit": product.get_unit_display() if product else None,
    }


def _dashboard_parts(*, user, days: int, now, page_parts: page_cache.PageParts) -> dict:
    context = pages.dashboard_context(user=user, days=days, now=now, page_parts=page_parts)
    return {
        # Without the request: no context processor runs, so no token in a cached fragment.
        "body": render_to_string("tracker/includes/dashboard_body.html", context),
        "cards": {**{name: context[name] for name in CARD_DATA}, **_card_labels(context)},
    }


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
    parts = page_parts.cached(
        "dashboard",
        # Nights, doses, skips, medicines, labs, the trial and the experiment: every group.
        reads=GROUPS,
        extra=(days,),
        compute=lambda: _dashboard_parts(user=user, days=days, now=now, page_parts=page_parts),
    )
    context = {
        **parts["cards"],
        "dashboard_body": parts["body"],
        "morning_first": morning,
        "upper_level_hours": reference.UPPER_LEVEL_WINDOW_HOURS,
        "ul": reference.SUPPLEMENT_UL_MG,
        "safety_article": reference.SAFETY_ARTICLE_PATH,
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
