"""Share links for a clinician, and the FHIR download.

Modelled on SMART Health Links (HL7's SHL: a link plus a passcode shared separately, limited
passcode attempts, an expiry, revocable by the patient). How it differs:

- SHL encrypts the data with a key carried in the link's #fragment, so the host stores only
  ciphertext; here the server keeps the data and renders the report for each reader, so the
  link is the key to a page, not to a file, and always shows the current log of its range.
- SHL's `shlink:/` payload, manifest and QR code are for apps; this is an ordinary web link
  that opens a page (with a PDF and a FHIR Bundle to download) in any browser.
- SHL may disable a link for good after too many wrong passcodes; here 5 wrong tries pause
  the link for 15 minutes (sharing/passcode_limit.py) and the patient can revoke it.

Opening is a POST ("Open the report", with the passcode if one is set): a GET never changes
data, so a link preview or a mail scanner neither counts as a view nor uses up a try. The
unlocked link is remembered in the reader's session; every request checks the link again,
so revoking or expiry takes effect at once. Each opening is recorded with its time only.
"""

import datetime
import json
import logging
from functools import wraps

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.fallback_cache import UNREACHABLE
from sharing import passcode_limit, selectors, services
from sharing.forms import PasscodeForm, ShareCreateForm
from sharing.tasks import share_pdf_make_task
from tracker import fhir, pages, pdf_jobs
from tracker.evening import evening_of
from tracker.views import pdf_wait

logger = logging.getLogger(__name__)

SESSION_KEY = "sharing_unlocked"
FHIR_CONTENT_TYPE = "application/fhir+json; charset=utf-8"
DEFAULT_SPAN_DAYS = 30


def _private(view):
    """Every answer under /share/: never cached, never indexed, never sent on as a referrer."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


# --- The patient's side --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def shares(request):
    user, now = request.user, timezone.now()
    tonight = evening_of(now, user.zone, user.wake_time)
    initial = {
        "start": tonight - datetime.timedelta(days=DEFAULT_SPAN_DAYS - 1),
        "end": tonight,
        "days": services.DEFAULT_DAYS,
    }
    form = ShareCreateForm(
        request.POST if request.method == "POST" else None, tonight=tonight, initial=initial
    )
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            link, token = services.share_create(user=user, now=now, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            # Shown on this response only: the token is not stored anywhere.
            path = reverse("sharing:open", args=[token])
            created = {"link": link, "url": f"{settings.SITE_URL}{path}"}
            form = ShareCreateForm(tonight=tonight, initial=initial)
    context = {
        "form": form,
        "created": created,
        "rows": selectors.share_rows(user=user, now=now),
        "max_days": services.MAX_DAYS,
    }
    return render(request, "sharing/shares.html", context)


@login_required
@require_POST
def share_revoke(request, pk: int):
    link = selectors.share_get(user=request.user, pk=pk)
    if link is None:
        raise Http404
    services.share_revoke(link=link)
    message = _("“%(label)s” is revoked: the link no longer opens.") % {"label": link.label}
    messages.success(request, message)
    return redirect("sharing:shares")


@login_required
@reauthentication_required
@require_GET
def fhir_download(request):
    bundle = fhir.fhir_bundle(user=request.user, now=timezone.now())
    today = timezone.localdate(timezone=request.user.zone)  # the file is named in their zone
    return _fhir_response(bundle, name=f"restwell-fhir-{today.isoformat()}.json")


def _fhir_response(bundle: dict, *, name: str) -> HttpResponse:
    response = HttpResponse(
        json.dumps(bundle, indent=2, ensure_ascii=False), content_type=FHIR_CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The reader's side ---------------------------------------------------------------------


def _open_link(request, token: str):
    """(link, None) for a link that opens; (None, the answer) for one that does not."""
    link = selectors.share_by_token(token=token)
    if link is None:
        return None, render(request, "sharing/link_missing.html", status=404)
    if not link.is_active(timezone.now()):
        context = {"revoked": link.revoked_at is not None}
        return None, render(request, "sharing/link_gone.html", context, status=410)
    return link, None


def _unlocked(request, link) -> bool:
    return link.pk in request.session.get(SESSION_KEY, [])


# No CSRF token check: under Referrer-Policy no-referrer a browser posts the form with
# "Origin: null", which Django's check refuses. Nothing here rests on the reader's session:
# the token in the URL (and the passcode) is the whole authority, so a forged cross-site
# POST can do nothing that the holder of the token cannot do directly.
@csrf_exempt
@require_http_methods(["GET", "POST"])
@_private
def share_open(request, token: str):
    link, answer = _open_link(request, token)
    if answer is not None:
        return answer
    if request.method == "POST":
        return _unlock(request, link)
    if _unlocked(request, link):
        return _report(request, link, token)
    form = PasscodeForm() if link.has_passcode else None
    return render(request, "sharing/unlock.html", {"form": form})


def _unlock(request, link):
    form = PasscodeForm(request.POST) if link.has_passcode else None
    if form is not None:
        try:
            if passcode_limit.locked(link.pk):
                return _paused(request)
            if not form.is_valid():
                return render(request, "sharing/unlock.html", {"form": form})
            if not services.share_passcode_matches(
                link=link, passcode=form.cleaned_data["passcode"]
            ):
                tries = passcode_limit.wrong_try(link.pk)
                left = passcode_limit.WRONG_TRIES - tries
                if left <= 0:
                    return _paused(request)
                form.add_error(
                    "passcode",
                    ngettext(
                        "That passcode is not right. %(n)s more try before the link pauses "
                        "for 15 minutes.",
                        "That passcode is not right. %(n)s more tries before the link pauses "
                        "for 15 minutes.",
                        left,
                    )
                    % {"n": left},
                )
                return render(request, "sharing/unlock.html", {"form": form})
        except UNREACHABLE:
            # Without Redis the tries cannot be counted: no passcode is checked unthrottled.
            logger.warning("Redis unreachable: a share link's passcode waits (503)")
            response = render(request, "503.html", status=503)
            response["Retry-After"] = "60"
            return response
    unlocked = request.session.get(SESSION_KEY, [])
    if link.pk not in unlocked:
        request.session[SESSION_KEY] = [*unlocked, link.pk]
    services.share_view_record(link=link)
    return redirect("sharing:open", token=request.resolver_match.kwargs["token"])


def _paused(request):
    response = render(request, "sharing/paused.html", status=429)
    response["Retry-After"] = str(passcode_limit.WINDOW_SECONDS)
    return response


def _report_context(link) -> dict:
    """The owner's report for the link's evenings, without the account's own links."""
    context = pages.report_context(
        user=link.user, start=link.start, end=link.end, now=timezone.now()
    )
    context["shared"] = True
    if not link.include_experiment:
        context["experiment"] = None
    return context


def _report(request, link, token: str):
    context = {**_report_context(link), "link": link, "token": token}
    # Every date in the owner's zone: it is their evenings the report is about.
    with timezone.override(link.user.zone):
        return render(request, "sharing/report.html", context)


def _reader_download(view):
    """The PDF and FHIR downloads: an open link, unlocked in this session, else the page."""

    @wraps(view)
    def wrapped(request, token: str, **kwargs):
        link, answer = _open_link(request, token)
        if answer is not None:
            return answer
        if not _unlocked(request, link):
            return redirect("sharing:open", token=token)
        return view(request, link, **kwargs)

    return require_GET(_private(wrapped))


@_reader_download
def share_pdf(request, link):
    """Start the PDF in a worker (tracker/pdf_jobs.py); the reader waits for it."""
    token = request.resolver_match.kwargs["token"]
    paper = pdf_jobs.paper_of(request.GET.get("paper", ""))
    return pdf_wait.pdf_start(
        request,
        start=lambda: pdf_jobs.pdf_job_start(
            owner_id=link.user_id,  # the owner's slot: one render of their data at a time
            link_id=link.pk,
            start=link.start,
            end=link.end,
            paper=paper,
            enqueue=lambda job: share_pdf_make_task.delay(job.id),
        ),
        page_url=lambda job: reverse("sharing:pdf_job", args=[token, job.id]),
        retry=request.get_full_path(),
        report=reverse("sharing:open", args=[token]),
    )


def _share_job(view):
    """A job made through this link, else 404."""

    def wrapped(request, link, job: str):
        token = request.resolver_match.kwargs["token"]
        try:
            found = pdf_jobs.pdf_job_get(job_id=job, owner_id=None, link_id=link.pk)
        except pdf_jobs.PdfUnavailable:
            retry = reverse("sharing:pdf", args=[token])
            return pdf_wait.pdf_unavailable(
                request, retry=retry, report=reverse("sharing:open", args=[token])
            )
        if found is None:
            raise Http404
        query = "?paper=letter" if found.paper == "letter" else ""
        urls = pdf_wait.PdfUrls(
            page=reverse("sharing:pdf_job", args=[token, found.id]),
            status=reverse("sharing:pdf_job_status", args=[token, found.id]),
            file=reverse("sharing:pdf_job_file", args=[token, found.id]),
            retry=reverse("sharing:pdf", args=[token]) + query,
            report=reverse("sharing:open", args=[token]),
        )
        return view(request, found, urls)

    return _reader_download(wraps(view)(wrapped))


@_share_job
def share_pdf_job(request, job, urls):
    return pdf_wait.pdf_page(request, job, urls)


@_share_job
def share_pdf_job_status(request, job, urls):
    return pdf_wait.pdf_status(job)


@_share_job
def share_pdf_job_file(request, job, urls):
    return pdf_wait.pdf_file(request, job, urls)


@_reader_download
def share_fhir(request, link):
    bundle = fhir.fhir_bundle(
        user=link.user, now=timezone.now(), scope=fhir.SHARED, start=link.start, end=link.end
    )
    name = f"restwell-fhir-{link.start.isoformat()}-{link.end.isoformat()}.json"
    return _fhir_response(bundle, name=name)
