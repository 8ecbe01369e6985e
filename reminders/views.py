from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.forms import apply_service_errors
from reminders import forms, selectors, services, tokens
from reminders.models import ReminderKind
from reminders.onboarding import onboarding_complete, onboarding_offered
from tracker.fields import dose_initial


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    user = request.user
    current = selectors.reminder_settings_get(user=user)
    evening, morning = current[ReminderKind.EVENING], current[ReminderKind.MORNING]
    form = forms.ReminderSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={
            "evening_enabled": evening.enabled,
            "minutes_before": evening.minutes_before,
            "bedtime": user.bedtime,
            "evening_days": forms.bits_to_weekdays(evening.weekdays),
            "skip_if_logged": evening.skip_if_logged,
            "morning_enabled": morning.enabled,
            "wake_time": user.wake_time,
            "morning_days": forms.bits_to_weekdays(morning.weekdays),
            "paused_until": evening.paused_until or morning.paused_until,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.reminder_preferences_save(
            user=user,
            bedtime=data["bedtime"],
            wake_time=data["wake_time"],
            evening_enabled=data["evening_enabled"],
            minutes_before=data["minutes_before"],
            evening_weekdays=forms.weekdays_to_bits(data["evening_days"]),
            skip_if_logged=data["skip_if_logged"],
            morning_enabled=data["morning_enabled"],
            morning_weekdays=forms.weekdays_to_bits(data["morning_days"]),
            paused_until=data["paused_until"],
        )
        messages.success(request, _("Your reminder settings are saved."))
        return redirect("reminders:settings")
    return render(
        request,
        "reminders/settings.html",
        {
            "form": form,
            "evening": evening,
            "morning": morning,
            "evening_time": selectors.send_time_get(setting=evening, user=user),
            "has_verified_email": selectors.user_has_verified_primary_email(user=user),
        },
    )


def _link_delivery(token: str, purpose: str):
    """The delivery a link is about, or None when the link is bad, expired or outdated."""
    try:
        data = tokens.token_read(purpose=purpose, token=token)
    except tokens.BadToken:
        return None
    return selectors.delivery_for_link(user_id=data.user_id, delivery_id=data.delivery_id)


def _bad_link(request):
    return render(request, "reminders/link_invalid.html", status=400)


@never_cache  # link pages show a product or dose to whoever holds the link: never stored
@csrf_exempt  # RFC 8058: mail providers POST "List-Unsubscribe=One-Click" with no session
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    delivery = _link_delivery(token, tokens.UNSUBSCRIBE)
    if delivery is None:
        return _bad_link(request)
    if request.method == "POST":
        services.reminders_turn_off(user_id=delivery.user_id)
        return render(request, "reminders/unsubscribed.html")
    return render(request, "reminders/unsubscribe_confirm.html")


@never_cache
@require_http_methods(["GET", "POST"])
def taken(request, token):
    """ "I took it": GET confirms (mail scanners fetch links); POST logs the dose, once."""
    delivery = _link_delivery(token, tokens.TAKEN)
    if delivery is None or delivery.kind != ReminderKind.EVENING:
        return _bad_link(request)
    with timezone.override(delivery.user.zone):
        if delivery.acted_at:
            return render(request, "reminders/link_used.html", {"delivery": delivery})
        now = timezone.now()
        need = selectors.taken_context_get(delivery=delivery, now=now)
        form = forms.TakenForm(
            request.POST if request.method == "POST" else None,
            needs_amount=need["product"] is None,
            needs_time=need["late"],
            initial=dose_initial(
                taken_at=timezone.localtime(delivery.due_at), dose=need["last_dose"]
            ),
        )
        if request.method == "POST" and form.is_valid():
            data, product = form.cleaned_data, need["product"]
            try:
                done = services.reminder_taken_record(
                    delivery=delivery,
                    taken_at=data.get("taken_at") or now,
                    form=product.form if product else data["form"],
                    amount_mg=product.amount_mg if product else data["amount_mg"],
                    unit=product.unit if product else data["unit"],
                    now=now,
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                if not done:
                    return render(request, "reminders/link_used.html", {"delivery": delivery})
                return render(request, "reminders/taken_done.html", {"delivery": delivery})
        return render(request, "reminders/taken.html", {"form": form, "delivery": delivery, **need})


@never_cache
@require_http_methods(["GET", "POST"])
def skip(request, token):
    """ "Skip tonight": GET confirms; POST records the evening as skipped on purpose."""
    delivery = _link_delivery(token, tokens.SKIP)
    if delivery is None or delivery.kind != ReminderKind.EVENING:
        return _bad_link(request)
    with timezone.override(delivery.user.zone):
        if delivery.acted_at:
            return render(request, "reminders/link_used.html", {"delivery": delivery})
        if request.method == "POST":
            if not services.reminder_skip_record(delivery=delivery, now=timezone.now()):
                return render(request, "reminders/link_used.html", {"delivery": delivery})
            return render(request, "reminders/skip_done.html", {"delivery": delivery})
        return render(request, "reminders/skip.html", {"delivery": delivery})


@login_required
@require_http_methods(["GET", "POST"])
def onboarding(request):
    """One screen after the first sign-in; skippable, and reachable again from a bookmark."""
    user = request.user
    if request.method == "POST" and "skip" in request.POST:
        onboarding_offered(user=user)
        return redirect("tracker:dashboard")
    form = forms.OnboardingForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": user.time_zone, "bedtime": user.bedtime, "wake_time": user.wake_time},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            onboarding_complete(
                user=user,
                time_zone=data["time_zone"],
                bedtime=data["bedtime"],
                wake_time=data["wake_time"],
                evening_reminder=data["evening_reminder"],
                product_form=data["product_form"],
                product_amount_mg=data["product_amount_mg"],
                product_unit=data["product_unit"],
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("All set. You can change any of this later."))
            return redirect("tracker:dashboard")
    return render(request, "reminders/onboarding.html", {"form": form})
