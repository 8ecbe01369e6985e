"""Night and dose pages: list (paged, date filter), new, edit, delete (confirm, then POST)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.forms import apply_service_errors
from portal.pwa import offline_copy
from tracker import clinical, entry_tables, page_cache, reference, safety, selectors, services
from tracker.amounts import mg_text
from tracker.evening import last_night
from tracker.fields import dose_initial
from tracker.forms import (
    DateRangeForm,
    DoseForm,
    NightEditForm,
    NightForm,
    NightStomachForm,
    QuickDoseForm,
)
from tracker.models import WASO_MAX, Dose, Form, NightLog
from tracker.models.stamp import DOSES, NIGHTS, OTHER
from tracker.night_calendar import night_calendar
from tracker.services import rules
from tracker.views.idempotent import idempotent_post, saved

PAGE_SIZE = 20


def _filtered_page(request, queryset, field):
    filter_form = DateRangeForm(request.GET if request.GET.keys() & {"from", "to"} else None)
    start, end = filter_form.bounds()
    if start:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end:
        queryset = queryset.filter(**{f"{field}__lte": end})
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return filter_form, page, query.urlencode()


def _night_label(evening):
    return formats.date_format(evening, "j F Y")


def _list_page(request, *, name: str, reads: tuple[str, ...], compute):
    """A list page, kept whole per user, query string and day (tracker/page_cache.py) while
    the stamps of the groups of tables it `reads` stay; `compute(now)` builds its context."""
    now = timezone.now()
    query = page_cache.query_key(request)

    def page(extra_context):
        return render(request, f"tracker/{name}.html", {**compute(now), **extra_context})

    if query is None:  # too long to cache
        return page({})
    parts = page_cache.PageParts(user=request.user, now=now)
    return page_cache.whole_page(
        request, parts, f"{name}_page", reads=reads, extra=query, render=page
    )


@login_required
@require_http_methods(["GET"])
def night_list(request):
    def compute(now):
        nights = selectors.night_list(user=request.user)
        filter_form, page, query = _filtered_page(request, nights, "evening")
        return {
            "filter_form": filter_form,
            "page": page,
            "rows": entry_tables.night_rows(page.object_list),
            "query": query,
            "calendar": night_calendar(user=request.user, now=now),
        }

    # The list and the calendar read nights only.
    return _list_page(request, name="night_list", reads=(NIGHTS,), compute=compute)


def _requested_evening(request, newest):
    """?evening=YYYY-MM-DD (a calendar link); None when absent, malformed or not yet over."""
    try:
        evening = datetime.date.fromisoformat(request.GET.get("evening", ""))
    except ValueError:
        return None
    return evening if rules.EARLIEST_DATE <= evening <= newest else None


def _imported_times(request, evening, now) -> dict:
    """?from_import=1 (the sleep import's "Log this night" link): that night's suggested
    times as the form's starting values, which the user sees and checks before saving."""
    if "from_import" not in request.GET:
        return {}
    suggestion = selectors.sleep_suggestion_for(user=request.user, evening=evening, now=now)
    if suggestion is None:
        return {}
    zone = request.user.zone
    clock = {
        name: value.astimezone(zone).time()
        for name, value in (
            ("in_bed", suggestion.in_bed_at),
            ("tried_sleep", suggestion.asleep_at),
            ("final_wake", suggestion.final_wake_at),
            ("out_of_bed", suggestion.out_of_bed_at),
        )
        if value is not None
    }
    if suggestion.waso_min is not None and suggestion.waso_min <= WASO_MAX:
        clock["waso_min"] = suggestion.waso_min
    if clock:
        messages.info(
            request,
            _(
                "The times below come from your sleep import (“fell asleep” is in “tried to "
                "sleep”). Check them, then add how your legs were and how you slept."
            ),
        )
    return clock


def _error_code(error, field):
    errors = getattr(error, "error_dict", {}).get(field, [])
    return errors[0].code if errors else None


def _night_page(request, form, *, night, evening, newest, now, whole=False, **extra):
    """The night form page; kept `whole` (tracker/page_cache.py) for a GET's unbound form with
    nothing in it from outside the stamped tables, by path and evening, while the stamps of
    the nights and of the medicines (where the augmentation questions go) stay."""

    def page(extra_context):
        return render(
            request,
            "tracker/night_form.html",
            {
                "form": form,
                "night": night,
                "evening": evening,
                "is_last_night": evening == newest,
                "calendar": night_calendar(user=request.user, now=now, current=evening),
                # The augmentation questions lead for users on a dopaminergic medicine.
                "dopaminergic": selectors.takes_dopaminergic(user=request.user),
                **extra,
                **extra_context,
            },
        )

    if not whole:
        return page({})
    return page_cache.whole_page(
        request,
        page_cache.PageParts(user=request.user, now=now),
        "night_form_page",
        reads=(NIGHTS, OTHER),
        extra=(evening,),
        render=page,
    )


@login_required
@offline_copy
@require_http_methods(["GET", "POST"])
@idempotent_post
def night_new(request):
    user = request.user
    now = timezone.now()
    newest = last_night(now, user.zone, user.wake_time)
    taken = None
    imported = {}
    if request.method == "POST":
        form = NightForm(request.POST)
        evening = None
        if form.is_valid():
            evening = form.cleaned_data["evening"]
            try:
                night = services.night_log(user=user, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
                if _error_code(error, "evening") == rules.NIGHT_TAKEN:
                    taken = selectors.night_for_evening_get(user=user, evening=evening)
            else:
                messages.success(
                    request,
                    _("The night of %(night)s is saved.") % {"night": _night_label(night.evening)},
                )
                return saved(
                    redirect(
                        "tracker:dashboard" if "quick" in request.POST else "tracker:night_list"
                    )
                )
    else:
        evening = _requested_evening(request, newest) or newest
        existing_id = selectors.night_id_for_evening(user=user, evening=evening)
        if existing_id:
            # Open it rather than offer a blank form that could only be refused.
            messages.info(
                request,
                format_html(
                    '{} <a href="#calendar">{}</a>',
                    _("You already logged the night of %(night)s, so here it is.")
                    % {"night": _night_label(evening)},
                    _("Log another night from the calendar."),
                ),
            )
            return redirect("tracker:night_edit", pk=existing_id)
        # The diary times are not prefilled with the usual schedule: a default submitted
        # unread would become a made-up sleep efficiency. The template shows them as a hint.
        imported = _imported_times(request, evening, now)
        form = NightForm(initial={"evening": evening, **imported})
    return _night_page(
        request,
        form,
        night=None,
        evening=evening,
        newest=newest,
        now=now,
        # Imported times come from a table with no stamp: that form is not cached.
        whole=request.method == "GET" and not imported,
        taken_night=taken,
        imported=request.method == "GET" and bool(imported),
    )


def _overwritten_note(changed_at, now):
    """Last write wins, said plainly: the other device's change was replaced by this one."""
    local = timezone.localtime(changed_at)
    same_day = local.date() == timezone.localtime(now).date()
    when = formats.time_format(local, "H:i") if same_day else formats.date_format(local, "j F, H:i")
    return _(
        "This night was also changed on another device at %(when)s; your version is now saved."
    ) % {"when": when}


@login_required
@require_http_methods(["GET", "POST"])
def night_edit(request, pk):
    night = get_object_or_404(NightLog, pk=pk, user=request.user)
    night.user = request.user  # the same row, already loaded: the form's times need its zone
    now = timezone.now()
    evening = night.evening  # the night this entry is, until a move succeeds
    extra = {}
    if request.method == "POST":
        form = NightEditForm(request.POST)
        if form.is_valid():
            wanted = form.cleaned_data["evening"]
            try:
                services.night_update(night=night, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
                code = _error_code(error, "evening")
                if code == rules.NIGHT_TAKEN:
                    extra["taken_night"] = selectors.night_for_evening_get(
                        user=request.user, evening=wanted
                    )
                elif code == rules.NIGHT_MOVE:
                    extra["offer_move"] = True
                    extra["wanted_evening"] = wanted
            else:
                template = (
                    _("The night of %(night)s is updated.")
                    if night.evening == evening
                    else _("The entry is moved to the night of %(night)s.")
                )
                messages.success(request, template % {"night": _night_label(night.evening)})
                if night.overwritten_at:
                    messages.info(request, _overwritten_note(night.overwritten_at, now))
                return redirect("tracker:night_list")
        night.evening = evening  # a refused save leaves the entry where it was
    else:
        form = NightEditForm(initial=NightEditForm.initial_from(night))
    newest = last_night(now, request.user.zone, request.user.wake_time)
    return _night_page(
        request,
        form,
        night=night,
        evening=evening,
        newest=newest,
        now=now,
        whole=request.method == "GET",
        **extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def night_delete(request, pk):
    night = get_object_or_404(NightLog, pk=pk, user=request.user)
    if request.method == "POST":
        label = _night_label(night.evening)
        services.night_delete(night=night)
        messages.success(request, _("The night of %(night)s is deleted.") % {"night": label})
        return redirect("tracker:night_list")
    return render(
        request,
        "tracker/confirm_delete.html",
        {
            "what": _("the night of %(night)s") % {"night": _night_label(night.evening)},
            "cancel_url": "tracker:night_list",
        },
    )


@login_required
@require_http_methods(["POST"])
def night_stomach(request, pk):
    """The dashboard's one tap after saving last night: the stomach answer for that night."""
    night = get_object_or_404(NightLog, pk=pk, user=request.user)
    form = NightStomachForm(request.POST)
    if form.is_valid():
        try:
            services.night_stomach_set(night=night, stomach=form.cleaned_data["stomach"])
        except ValidationError as error:
            messages.error(request, " ".join(error.message_dict["stomach"]))
        else:
            messages.success(
                request,
                _("Noted for the night of %(night)s.") % {"night": _night_label(night.evening)},
            )
    else:
        messages.error(request, " ".join(form.errors["stomach"]))
    return redirect("tracker:dashboard")


@login_required
@require_http_methods(["GET"])
def dose_list(request):
    def compute(_now):
        doses = selectors.dose_list(user=request.user)
        filter_form, page, query = _filtered_page(request, doses, "evening")
        return {
            "filter_form": filter_form,
            "page": page,
            "rows": entry_tables.dose_rows(page.object_list),
            "query": query,
        }

    return _list_page(request, name="dose_list", reads=(DOSES,), compute=compute)


def _dose_saved(request, dose, *, updated=False, undo=False):
    """Confirm the change, then add any safety notes (calm, informative, never blocking).

    After a one-tap dose the confirmation carries an "Undo" button: a small POST form, so it
    works without JavaScript (a double tap or the wrong button is undone in one more tap).
    """
    template = (
        _("Dose updated: %(mg)s mg elemental at %(time)s.")
        if updated
        else _("Dose logged: %(mg)s mg elemental at %(time)s.")
    )
    text = template % {
        "mg": mg_text(dose.elemental_mg),
        "time": formats.time_format(timezone.localtime(dose.taken_at), "H:i"),
    }
    if undo:
        text = format_html(
            '{} <form method="post" action="{}" class="d-inline">'
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<button type="submit" class="btn btn-link p-0 align-baseline">{}</button></form>',
            text,
            reverse("tracker:dose_undo", kwargs={"pk": dose.pk}),
            get_token(request),
            _("Undo"),
        )
    messages.success(request, text)
    for note in safety.dose_safety_notes(user=request.user, dose=dose):
        messages.info(
            request,
            format_html(
                '{} <a href="{}">{}</a> <span class="source">{} {}</span>',
                note.text,
                reference.SAFETY_ARTICLE_PATH,
                _("Read more about magnesium safety."),
                _("Source:"),
                note.source,
            ),
        )


def _conversion_context():
    """The factor table, for the live preview (data attributes) and the visible table."""
    return {
        "fractions": {
            form: f"{reference.elemental_fraction(form):.5f}"
            for form in reference.COMPOUND_MOLAR_MASS
        },
        "conversion_rows": [
            (Form(form).label, compound, f"{reference.elemental_fraction(form) * 100:.1f}")
            for form, (compound, _mass) in reference.COMPOUND_MOLAR_MASS.items()
        ],
        "fraction_source": reference.MOLAR_MASS_SOURCE,
        "compound_caveats": [
            (Form(form).label, text) for form, text in reference.COMPOUND_CAVEATS.items()
        ],
        "label_first_source": reference.LABEL_FIRST_SOURCE,
    }


@login_required
@offline_copy
@require_http_methods(["GET", "POST"])
@idempotent_post
def dose_new(request):
    user = request.user
    if request.method == "POST":
        form = DoseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                dose = services.dose_record(
                    user=user,
                    taken_at=data["taken_at"],
                    form=data["form"],
                    amount_mg=data["amount_mg"],
                    unit=data["unit"],
                    note=data["note"],
                    remember=data["remember"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                _dose_saved(request, dose)
                if data["remember"]:
                    messages.success(request, _("Saved as “My magnesium”."))
                return saved(redirect("tracker:dose_list"))
    else:
        product = selectors.saved_product_get(user=user)
        initial = dose_initial(taken_at=timezone.localtime())
        if product:
            initial.update(form=product.form, amount_mg=product.amount_mg, unit=product.unit)
        else:
            initial["remember"] = True
        form = DoseForm(initial=initial)
    return render(
        request,
        "tracker/dose_form.html",
        {
            "form": form,
            "dose": None,
            **_conversion_context(),
            **clinical.screen_notes(user=user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dose_edit(request, pk):
    dose = get_object_or_404(Dose, pk=pk, user=request.user)
    if request.method == "POST":
        form = DoseForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.dose_update(
                    dose=dose,
                    taken_at=data["taken_at"],
                    form=data["form"],
                    amount_mg=data["amount_mg"],
                    unit=data["unit"],
                    note=data["note"],
                    remember=data["remember"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                _dose_saved(request, dose, updated=True)
                return redirect("tracker:dose_list")
    else:
        initial = dose_initial(taken_at=timezone.localtime(dose.taken_at), dose=dose)
        form = DoseForm(initial={**initial, "note": dose.note})
    return render(
        request,
        "tracker/dose_form.html",
        {
            "form": form,
            "dose": dose,
            **_conversion_context(),
            **clinical.screen_notes(user=request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def dose_delete(request, pk):
    dose = get_object_or_404(Dose, pk=pk, user=request.user)
    label = formats.date_format(timezone.localtime(dose.taken_at), "j F Y, H:i")
    if request.method == "POST":
        services.dose_delete(dose=dose)
        messages.success(request, _("The dose of %(when)s is deleted.") % {"when": label})
        return redirect("tracker:dose_list")
    return render(
        request,
        "tracker/confirm_delete.html",
        {"what": _("the dose of %(when)s") % {"when": label}, "cancel_url": "tracker:dose_list"},
    )


@login_required
@require_http_methods(["POST"])
@idempotent_post
def dose_quick(request):
    """'I took my magnesium now': one POST with the saved product (works without JS).

    With JavaScript the form also says when it was tapped (`tapped_at`), so a tap queued
    offline is logged at the moment it was made.
    """
    form = QuickDoseForm(request.POST)
    tapped_at = form.cleaned_data["tapped_at"] if form.is_valid() else None
    try:
        dose = services.dose_record_saved_product(user=request.user, tapped_at=tapped_at)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tracker:product")
    _dose_saved(request, dose, undo=True)
    return saved(redirect("tracker:dashboard"))


@login_required
@require_http_methods(["POST"])
def dose_undo(request, pk):
    dose = get_object_or_404(Dose, pk=pk, user=request.user)
    mg = mg_text(dose.elemental_mg)
    try:
        services.dose_undo(dose=dose)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Undone: the %(mg)s mg dose is removed.") % {"mg": mg})
    return redirect("tracker:dashboard")
