"""The JSON API (django-ninja): nights, doses and the dashboard's figures, per token.

Views stay thin as elsewhere: authenticate (api/auth.py), check the input with the web's form,
call the tracker's service, present. The OpenAPI 3 schema is generated from these functions
and api/schemas.py and served at /api/v1/schema/; there is no docs page (it would load its
scripts from a CDN).
"""

import datetime
import json
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from ninja import Header, NinjaAPI, Query, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from api import errors, idempotency, presenters
from api.auth import READ, WRITE
from api.forms import ApiDoseForm, DashboardForm, PageForm, form_data
from api.schemas import (
    DashboardOut,
    DashboardQuery,
    Detail,
    DoseCreated,
    DoseIn,
    DoseOut,
    DosePage,
    Errors,
    NightIn,
    NightOut,
    NightPage,
    PageQuery,
)
from portal.forms import apply_service_errors
from tracker import safety, selectors, services
from tracker.evening import evening_of
from tracker.forms import NightForm
from tracker.models import Dose, NightLog
from tracker.summary import period_summary


class ObjectParser(Parser):
    """A request body is one JSON object; anything else is refused as unreadable (422)."""

    def parse_body(self, request):
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        return data


class RestwellAPI(NinjaAPI):
    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        # Health data: never kept by a browser or a proxy.
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response


api = RestwellAPI(
    title="Restwell API",
    version="1",
    description=(
        "Your nights, doses and dashboard figures. Authenticate every request with a personal "
        "access token from /accounts/tokens/: `Authorization: Bearer rw_…`. Dates are local "
        "dates in your time zone (a night is named by its evening); date-times are ISO 8601 "
        "with an offset. Writes accept an `Idempotency-Key` header (replayed for 24 hours)."
    ),
    urls_namespace="api-v1",
    openapi_url="/schema/",
    docs_url=None,
    parser=ObjectParser(),
)

READ_ERRORS = {401: Detail, 422: Errors, 429: Detail, 503: Detail}
ITEM_ERRORS = {401: Detail, 404: Detail, 429: Detail, 503: Detail}
WRITE_ERRORS = {401: Detail, 403: Detail, 409: Detail, 422: Errors, 429: Detail, 503: Detail}


# --- Errors -----------------------------------------------------------------------------


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if exc.status_code == 400 and not isinstance(exc, errors.ApiError):
        # ninja's "Cannot parse request body": an input error like any other.
        return _unparsable(request, exc)
    response = api.create_response(request, {"detail": exc.message}, status=exc.status_code)
    for name, value in getattr(exc, "headers", {}).items():
        response[name] = value
    return response


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": str(errors.NOT_FOUND)}, status=404)


@api.exception_handler(errors.InputErrors)
def _input_errors(request, exc: errors.InputErrors):
    return api.create_response(request, exc.body, status=422)


@api.exception_handler(NinjaValidationError)
def _unparsable(request, exc: NinjaValidationError):
    # Only what cannot be read at all reaches here (every input field accepts any JSON
    # value, and the forms judge it): an id that is not a number addresses nothing (404);
    # otherwise the body is not a JSON object.
    if any(error.get("loc", ("",))[0] == "path" for error in getattr(exc, "errors", [])):
        return _not_found(request, exc)
    return api.create_response(
        request, {"errors": {"__all__": [str(errors.UNREADABLE)]}}, status=422
    )


def _form_errors(form) -> errors.InputErrors:
    return errors.InputErrors({field: list(messages) for field, messages in form.errors.items()})


def _checked(form_class, payload: dict, *, lists=()):
    data, shape_errors = form_data(payload, lists=lists)
    form = form_class(data)
    if not form.is_valid() or shape_errors:
        raise errors.InputErrors({**_form_errors(form).errors, **shape_errors})
    return form


def _own(model, pk: int, user):
    """The user's row with this id; another user's, or none, is 404 (never 403)."""
    if not 0 < pk < 2**63:  # the database's integer range: a larger id finds nothing
        raise Http404
    return get_object_or_404(model, pk=pk, user=user)


@contextmanager
def _as_user(request):
    """The token's user, with their time zone active (how local times are read and shown)."""
    user = request.auth.user
    with timezone.override(user.zone):
        yield user


def _written(request, *, key, payload: dict, write):
    status, body, replayed = idempotency.idempotent_write(
        request, key=key, payload=payload, write=write
    )
    if replayed:
        response = api.create_response(request, body, status=status)
        response["Idempotent-Replayed"] = "true"
        return response
    return Status(status, body)


def _page(queryset, query: PageQuery) -> tuple[list, dict]:
    form = _checked(PageForm, query.model_dump(by_alias=True))
    data = form.cleaned_data
    if data.get("from"):
        queryset = queryset.filter(evening__gte=data["from"])
    if data.get("to"):
        queryset = queryset.filter(evening__lte=data["to"])
    limit, offset = data["limit"], data["offset"]
    page = {"count": queryset.count(), "limit": limit, "offset": offset}
    return list(queryset[offset : offset + limit]), page


# --- Index ------------------------------------------------------------------------------


@api.get("/", auth=None, include_in_schema=False)
def index(request):
    """What /api/v1/ is and where its schema lives (no token needed, no data)."""
    return {
        "name": api.title,
        "version": api.version,
        "schema": request.build_absolute_uri("schema/"),
        "tokens": request.build_absolute_uri("/accounts/tokens/"),
    }


# --- Nights -----------------------------------------------------------------------------


@api.get("/nights/", auth=READ, response={200: NightPage, **READ_ERRORS}, tags=["nights"])
def night_list(request, query: Query[PageQuery]):
    """Your nights, newest evening first; `from`/`to` filter by evening (inclusive)."""
    with _as_user(request) as user:
        nights, page = _page(selectors.night_list(user=user), query)
        return Status(200, {**page, "items": [presenters.night(n, user.zone) for n in nights]})


@api.get("/nights/{night_id}/", auth=READ, response={200: NightOut, **ITEM_ERRORS}, tags=["nights"])
def night_detail(request, night_id: int):
    with _as_user(request) as user:
        return Status(200, presenters.night(_own(NightLog, night_id, user), user.zone))


@api.post("/nights/", auth=WRITE, response={201: NightOut, **WRITE_ERRORS}, tags=["nights"])
def night_create(
    request,
    payload: NightIn,
    idempotency_key: str | None = Header(None, alias=idempotency.HEADER),
):
    """Log a night, with the same rules and messages as the night form. A night already
    logged is refused (edit it on the web); the same answers sent again return it."""
    body = payload.model_dump()

    def write():
        with _as_user(request) as user:
            form = _checked(NightForm, body, lists=("factors",))
            try:
                night = services.night_log(user=user, **form.service_kwargs())
            except ValidationError as error:
                apply_service_errors(form, error)
                raise _form_errors(form) from None
            return 201, presenters.night(night, user.zone)

    return _written(request, key=idempotency_key, payload=body, write=write)


# --- Doses ------------------------------------------------------------------------------


@api.get("/doses/", auth=READ, response={200: DosePage, **READ_ERRORS}, tags=["doses"])
def dose_list(request, query: Query[PageQuery]):
    """Your doses, latest first; `from`/`to` filter by the evening they count for."""
    with _as_user(request) as user:
        doses, page = _page(selectors.dose_list(user=user), query)
        return Status(200, {**page, "items": [presenters.dose(d, user.zone) for d in doses]})


@api.get("/doses/{dose_id}/", auth=READ, response={200: DoseOut, **ITEM_ERRORS}, tags=["doses"])
def dose_detail(request, dose_id: int):
    with _as_user(request) as user:
        return Status(200, presenters.dose(_own(Dose, dose_id, user), user.zone))


@api.post("/doses/", auth=WRITE, response={201: DoseCreated, **WRITE_ERRORS}, tags=["doses"])
def dose_create(
    request,
    payload: DoseIn,
    idempotency_key: str | None = Header(None, alias=idempotency.HEADER),
):
    """Log a dose, with the same rules and messages as the dose form; the answer carries
    the safety notes the web would show."""
    body = payload.model_dump()

    def write():
        with _as_user(request) as user:
            form = _checked(ApiDoseForm, body)
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
                raise _form_errors(form) from None
            notes = safety.dose_safety_notes(user=user, dose=dose)
            return 201, {
                **presenters.dose(dose, user.zone),
                "safety_notes": [{"text": n.text, "source": str(n.source)} for n in notes],
            }

    return _written(request, key=idempotency_key, payload=body, write=write)


# --- Dashboard --------------------------------------------------------------------------


@api.get("/dashboard/", auth=READ, response={200: DashboardOut, **READ_ERRORS}, tags=["dashboard"])
def dashboard(request, query: Query[DashboardQuery]):
    """The dashboard's figures over the last `days` evenings (30, 90 or 365), tonight
    included; each says how many nights it rests on."""
    with _as_user(request) as user:
        form = _checked(DashboardForm, query.model_dump())
        days = form.cleaned_data["days"] or 30
        now = timezone.now()
        tonight = evening_of(now, user.zone, user.wake_time)
        start = tonight - datetime.timedelta(days=days - 1)
        summary = period_summary(user=user, start=start, end=tonight, now=now)
        return Status(200, presenters.dashboard(summary, days=days))
