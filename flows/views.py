"""Pages that start a cross-app flow: reminder settings, onboarding, the email's taken/skip.

They are served under /reminders/ in the "reminders" URL namespace (see portal/urls.py):
that is where users and emails know them.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from accounts.services import user_onboarding_mark
from articles.selectors import catalogue
from flows.forms import OnboardingForm, TakenForm
from flows.onboarding import onboarding_complete
from flows.reminder_links import (
    reminder_preferences_save,
    reminder_skip_record,
    reminder_taken_record,
)
from portal.forms import apply_service_errors
from reminders import selectors, tokens
from reminders.forms import ReminderSettingsForm, bits_to_weekdays, weekdays_to_bits
from reminders.models import ReminderKind
from reminders.wording import next_reminders
from tracker import reference
from tracker.clinical import screen_notes
from tracker.fields import dose_initial


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    user = request.user
    current = selectors.reminder_settings_get(user=user)
    evening, morning = current[ReminderKind.EVENING], current[ReminderKind.MORNING]
    # The sentence and the preview describe what is saved, read before the POST is handled:
    # a rejected input (10000 minutes, an empty field) is shown by its field, never repeated
    # there, and a save that fails half-way may have changed `user` in memory.
    saved = {
        "evening_time": selectors.send_time_get(setting=evening, user=user),
        "minutes_before": evening.minutes_before,
        "bedtime": user.bedtime,
    }
    form = ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        zone=user.zone,
        channels={ReminderKind.EVENING: evening.channel, ReminderKind.MORNING: morning.channel},
        initial={
            "evening_enabled": evening.enabled,
            "evening_time": saved["evening_time"],
            "minutes_before": evening.minutes_before,
            "bedtime": user.bedtime,
            "evening_days": bits_to_weekdays(evening.weekdays),
            "skip_if_logged": evening.skip_if_logged,
            "evening_channel": evening.channel,
            "morning_channel": morning.channel,
            "morning_enabled": morning.enabled,
            "wake_time": user.wake_time,
            "morning_days": bits_to_weekdays(morning.weekdays),
            "paused_until": evening.paused_until or morning.paused_until,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reminder_preferences_save(
                user=user,
                bedtime=data["bedtime"],
                wake_time=data["wake_time"],
                evening_enabled=data["evening_enabled"],
                minutes_before=data["minutes_before"],
                evening_weekdays=weekdays_to_bits(data["evening_days"]),
                skip_if_logged=data["skip_if_logged"],
                morning_enabled=data["morning_enabled"],
                morning_weekdays=weekdays_to_bits(data["morning_days"]),
                paused_until=data["paused_until"],
                evening_channel=data["evening_channel"] or None,
                morning_channel=data["morning_channel"] or None,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("reminders:settings")
    next_heading, next_lines = next_reminders(current)
    facts = selectors.settings_page_facts(user=user)
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "sentence_fields": [form["evening_time"], form["minutes_before"], form["bedtime"]],
            "next_heading": next_heading,
            "next_lines": next_lines,
            "evening": evening,
            "morning": morning,
            **saved,
            "has_verified_email": facts.has_verified_email,
            "calendar": facts.calendar,
            "vapid_public_key": selectors.push_public_key(),
            "device_count": facts.device_count,
        },
    )


def _bad_link(request):
    return render(request, "reminders/link_invalid.html", status=400)


def _used_link(request, delivery):
    return render(request, "reminders/link_used.html", {"delivery": delivery})


@never_cache  # link pages show a product or dose to whoever holds the link: never stored
@csrf_exempt  # the signed token says who acts; a notification action POSTs without one
@require_http_methods(["GET", "POST"])
def taken(request, token):
    """ "I took it": GET confirms (mail scanners fetch links); POST logs the dose, once."""
    delivery = selectors.delivery_for_token(token=token, purpose=tokens.TAKEN)
    if delivery is None or delivery.kind != ReminderKind.EVENING:
        return _bad_link(request)
    with timezone.override(delivery.user.zone):
        if delivery.acted_at:
            return _used_link(request, delivery)
        now = timezone.now()
        need = selectors.taken_context_get(delivery=delivery, now=now)
        form = TakenForm(
            request.POST if request.method == "POST" else None,
            needs_amount=need["product"] is None and not need["capsule"],
            needs_time=need["late"],
            initial=dose_initial(
                taken_at=timezone.localtime(delivery.due_at), dose=need["last_dose"]
            ),
        )
        if request.method == "POST" and form.is_valid():
            try:
                notes = reminder_taken_record(delivery=delivery, now=now, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if notes is None:
                    return _used_link(request, delivery)
                return render(
                    request,
                    "reminders/taken_done.html",
                    {
                        "delivery": delivery,
                        "notes": notes,
                        "safety_article": reference.SAFETY_ARTICLE_PATH,
                    },
                )
        # The same cautions as the dose form: this page is the email's dose form.
        cautions = screen_notes(user=delivery.user)
        return render(
            request,
            "reminders/taken.html",
            {"form": form, "delivery": delivery, **need, **cautions},
        )


@never_cache
@csrf_exempt  # the signed token says who acts; a notification action POSTs without one
@require_http_methods(["GET", "POST"])
def skip(request, token):
    """ "Skip tonight": GET confirms; POST records the evening as skipped on purpose."""
    delivery = selectors.delivery_for_token(token=token, purpose=tokens.SKIP)
    if delivery is None or delivery.kind != ReminderKind.EVENING:
        return _bad_link(request)
    with timezone.override(delivery.user.zone):
        if delivery.acted_at:
            return _used_link(request, delivery)
        if request.method == "POST":
            if not reminder_skip_record(delivery=delivery, now=timezone.now()):
                return _used_link(request, delivery)
            return render(request, "reminders/skip_done.html", {"delivery": delivery})
        return render(request, "reminders/skip.html", {"delivery": delivery})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    """One screen after the first sign-in; skippable, and reachable again from a bookmark."""
    user = request.user
    if request.method == "POST" and "skip" in request.POST:
        user_onboarding_mark(user=user)
        return redirect("tracker:dashboard")
    form = OnboardingForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": user.time_zone, "bedtime": user.bedtime, "wake_time": user.wake_time},
    )
    if request.method == "POST" and form.is_valid():
        try:
            onboarding_complete(user=user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("All set. You can change any of this later."))
            return redirect("tracker:dashboard")
    return render(request, "reminders/onboarding.html", {"form": form})


# The landing page lists what there is to read, even when reading needs an account: a
# newcomer sees the product's substance before signing up.
LANDING_ARTICLES = 4


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("tracker:dashboard")
    return render(
        request,
        "portal/home.html",
        {"articles": catalogue()[:LANDING_ARTICLES], "articles_public": settings.ARTICLES_PUBLIC},
    )
