"""Sleep import pages: upload an export, review the suggested nights, fill in the ticked ones.

The upload is capped while it arrives (a handler stops reading past the limit), so a huge
file costs no disk space; that handler has to be installed before the CSRF check reads the
body, hence the csrf_exempt wrapper around a csrf_protect'ed view (Django's documented way).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from tracker import reference, selectors, services, sleep_import
from tracker.evening import last_night
from tracker.forms import SleepApplyForm, SleepImportForm
from tracker.services.sleep_import import fills_for

PAGE_SIZE = 31


class _CappedUpload(FileUploadHandler):
    """Stops reading an upload once it passes the cap and marks the request."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > sleep_import.UPLOAD_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def _day(evening) -> str:
    return formats.date_format(evening, "j F Y")


@csrf_exempt
@login_required
@require_http_methods(["GET", "POST"])
def sleep_import_upload(request):
    if request.method == "POST":
        if _declared_length(request) > sleep_import.UPLOAD_MAX_BYTES + FORM_FIELDS_ALLOWANCE:
            # Far too large by its own account: answer without reading the body at all (and
            # so without its CSRF token: this answer changes nothing).
            return _page(request, _form(request, data={}, files={}, too_large=True), now=None)
        request.upload_handlers.insert(0, _CappedUpload(request))
    return _upload(request)


FORM_FIELDS_ALLOWANCE = 1024 * 1024  # the multipart framing and the CSRF field around the file


def _declared_length(request) -> int:
    try:
        return int(request.headers.get("content-length") or 0)
    except ValueError:
        return 0


@csrf_protect
def _upload(request):
    now = timezone.now()
    if request.method == "POST":
        form = _form(
            request,
            data=request.POST,
            files=request.FILES,
            too_large=getattr(request, "upload_too_large", False),
        )
        if form.is_valid():
            stored = services.sleep_import_store(user=request.user, result=form.result, now=now)
            return redirect("tracker:sleep_import_review", pk=stored.pk)
    else:
        form = _form(request)
    return _page(request, form, now=now)


def _form(request, data=None, files=None, too_large=False) -> SleepImportForm:
    user = request.user
    newest = last_night(timezone.now(), user.zone, user.wake_time)
    return SleepImportForm(data, files, user=user, newest=newest, too_large=too_large)


def _page(request, form, *, now):
    return render(
        request,
        "tracker/sleep_import.html",
        {
            "form": form,
            "current": selectors.sleep_import_current(user=request.user, now=now or timezone.now()),
            "keep_days": reference.SLEEP_IMPORT_KEEP_DAYS,
            "max_mb": reference.SLEEP_IMPORT_UPLOAD_MAX_MB,
            "json_max_mb": reference.SLEEP_IMPORT_JSON_MAX_MB,
            "max_nights": reference.SLEEP_IMPORT_MAX_NIGHTS,
            "gap_hours": reference.SLEEP_SESSION_GAP_HOURS,
        },
    )


# (label, suggestion field, NightLog field) for each column of the review table.
COLUMNS = (
    (gettext_lazy("Went to bed"), "in_bed_at", "in_bed_at"),
    (gettext_lazy("Fell asleep → tried to sleep"), "asleep_at", "tried_sleep_at"),
    (gettext_lazy("Woke for the day"), "final_wake_at", "final_wake_at"),
    (gettext_lazy("Got out of bed"), "out_of_bed_at", "out_of_bed_at"),
    (gettext_lazy("Minutes awake in the night"), "waso_min", "waso_min"),
)


def _shown(value, zone) -> str | None:
    if value is None:
        return None
    if isinstance(value, int):
        return str(value)
    return formats.time_format(value.astimezone(zone), "H:i")


def _rows(stored, zone):
    """Each night with, per column, the suggested value beside what the diary holds."""
    rows = selectors.sleep_import_rows(sleep_import=stored)
    for row in rows:
        night, suggestion = row["night"], row["suggestion"]
        row["fills"] = fills_for(night, suggestion) if night else {}
        row["cells"] = [
            {
                "label": label,
                "suggested": _shown(getattr(suggestion, origin), zone),
                "typed": _shown(getattr(night, target), zone) if night else None,
                "fills": target in row["fills"],
            }
            for label, origin, target in COLUMNS
        ]
        latency = row["fills"].get("sleep_latency_min")
        row["latency"] = latency
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def sleep_import_review(request, pk):
    now = timezone.now()
    stored = selectors.sleep_import_get(user=request.user, pk=pk, now=now)
    if stored is None:
        raise Http404
    rows = _rows(stored, request.user.zone)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    fillable = [row["suggestion"].evening for row in rows if row["fills"]]
    if request.method == "POST":
        form = SleepApplyForm(request.POST, evenings=fillable)
        if form.is_valid():
            outcome = services.sleep_suggestions_apply(
                sleep_import=stored, evenings=form.evenings(), now=now
            )
            _report(request, outcome)
            return redirect(request.get_full_path())
    else:
        form = SleepApplyForm(evenings=fillable)
    return render(
        request,
        "tracker/sleep_import_review.html",
        {
            "stored": stored,
            "page": page,
            "form": form,
            "fillable": len(fillable),
            "columns": [label for label, _origin, _target in COLUMNS],
        },
    )


def _report(request, outcome) -> None:
    if outcome.applied:
        messages.success(
            request,
            ngettext(
                "Filled in %(count)s night. Only empty fields were filled; what you typed is "
                "unchanged.",
                "Filled in %(count)s nights. Only empty fields were filled; what you typed is "
                "unchanged.",
                len(outcome.applied),
            )
            % {"count": len(outcome.applied)},
        )
    for evening, reason in outcome.refused:
        messages.warning(
            request,
            _("The night of %(night)s is unchanged: %(reason)s")
            % {"night": _day(evening), "reason": reason},
        )
    for evening in outcome.nothing_to_fill:
        messages.info(
            request,
            _("The night of %(night)s already has every time filled in.")
            % {"night": _day(evening)},
        )


@login_required
@require_http_methods(["POST"])
def sleep_import_delete(request, pk):
    stored = selectors.sleep_import_get(user=request.user, pk=pk, now=timezone.now())
    if stored is None:
        raise Http404
    services.sleep_import_delete(sleep_import=stored)
    messages.success(request, _("The imported suggestions are deleted."))
    return redirect("tracker:sleep_import")
