"""The API's request and response shapes, from which django-ninja builds the OpenAPI schema.

Request bodies and queries are *documented* here but *checked* by the web forms (api/forms.py
and the tracker's forms and services): each input field is typed `Any` for parsing and carries
the JSON Schema of what the form accepts, built from the same constants. So a wrong value gets
the form's one message, not a second, differently worded one from pydantic.
"""

import datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict, WithJsonSchema

from tracker.models import (
    AWAKENINGS_MAX,
    LATENCY_MAX,
    SEVERITY_MAX,
    WASO_MAX,
    Factor,
    Form,
    Stomach,
    Unit,
)
from tracker.pages import PERIODS

# The dose form accepts 5 whole digits and one decimal place (tracker.fields.amount_mg_field).
AMOUNT_MAX = 99999.9


def _input(schema: dict, description: str = "") -> Any:
    if description:
        schema = {**schema, "description": description}
    return Annotated[Any, WithJsonSchema(schema)]


def _nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(*, required: list[str], example: dict) -> ConfigDict:
    return ConfigDict(json_schema_extra={"required": required, "examples": [example]})


DATE = {"type": "string", "format": "date"}
LOCAL_TIME = {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"}


def _count(top: int) -> dict:
    return _nullable({"type": "integer", "minimum": 0, "maximum": top})


class NightIn(Schema):
    model_config = _object(
        required=["evening", "severity", "sleep_quality"],
        example={
            "evening": "2026-03-07",
            "severity": 4,
            "sleep_quality": 3,
            "in_bed": "22:40",
            "out_of_bed": "07:05",
            "factors": ["caffeine"],
        },
    )

    evening: _input(DATE, "The night is named by the evening it starts (local date).") = None
    severity: _input(
        {"type": "integer", "minimum": 0, "maximum": SEVERITY_MAX},
        "How bad the legs were: 0 none, 5 kept me awake a while, 10 worst imaginable.",
    ) = None
    sleep_quality: _input(
        {"type": "integer", "minimum": 1, "maximum": 5}, "1 very poor … 5 very good."
    ) = None
    symptoms_started: _input(_nullable(LOCAL_TIME), "Local time, HH:MM.") = None
    in_bed: _input(_nullable(LOCAL_TIME), "Local time, HH:MM.") = None
    tried_sleep: _input(_nullable(LOCAL_TIME), "Local time, HH:MM.") = None
    sleep_latency_min: _input(_count(LATENCY_MAX)) = None
    awakenings: _input(_count(AWAKENINGS_MAX)) = None
    waso_min: _input(_count(WASO_MAX), "Minutes awake during the night, in total.") = None
    final_wake: _input(_nullable(LOCAL_TIME), "Local time, HH:MM (after midnight: next day).") = (
        None
    )
    out_of_bed: _input(_nullable(LOCAL_TIME), "Local time, HH:MM (after midnight: next day).") = (
        None
    )
    factors: _input({"type": "array", "items": {"type": "string", "enum": list(Factor.values)}}) = (
        None
    )
    tags: _input({"type": "string", "maxLength": 200}, "Other factors, comma-separated.") = None
    notes: _input({"type": "string", "maxLength": 2000}) = None
    stomach: _input(
        {"type": "string", "enum": ["", *Stomach.values]},
        "Stomach upset or loose stools: none, upset, loose or both; empty for no answer.",
    ) = None
    symptoms_in_arms: _input({"type": "boolean"}, "Symptoms spread to the arms.") = None
    symptoms_earlier: _input(
        {"type": "boolean"}, "Symptoms started earlier in the day than usual."
    ) = None


class DoseIn(Schema):
    model_config = _object(
        required=["taken_at", "form", "amount_mg", "unit"],
        example={
            "taken_at": "2026-03-07T21:30:00+00:00",
            "form": "glycinate",
            "amount_mg": 200,
            "unit": "elemental",
        },
    )

    taken_at: _input(
        {"type": "string", "format": "date-time"},
        "ISO 8601 with an offset; without one, a local time in your time zone.",
    ) = None
    form: _input({"type": "string", "enum": list(Form.values)}) = None
    amount_mg: _input(
        {"type": "number", "exclusiveMinimum": 0, "maximum": AMOUNT_MAX},
        "In the unit given by `unit`, at most one decimal place.",
    ) = None
    unit: _input({"type": "string", "enum": list(Unit.values)}) = None
    note: _input({"type": "string", "maxLength": 200}) = None
    remember: _input({"type": "boolean"}, "Also save form, amount and unit as “My magnesium”.") = (
        None
    )


class PageQuery(Schema):
    from_: _input(DATE, "First evening, inclusive.") = Field(None, alias="from")
    to: _input(DATE, "Last evening, inclusive.") = None
    limit: _input({"type": "integer", "minimum": 1, "maximum": 100, "default": 20}) = None
    offset: _input({"type": "integer", "minimum": 0, "default": 0}) = None


class DashboardQuery(Schema):
    days: _input({"type": "integer", "enum": list(PERIODS), "default": 30}) = None


class NightOut(Schema):
    id: int
    evening: datetime.date
    severity: int
    sleep_quality: int
    symptoms_started_at: datetime.datetime | None
    in_bed_at: datetime.datetime | None
    tried_sleep_at: datetime.datetime | None
    sleep_latency_min: int | None
    awakenings: int | None
    waso_min: int | None
    final_wake_at: datetime.datetime | None
    out_of_bed_at: datetime.datetime | None
    factors: list[str]
    tags: str
    notes: str
    symptoms_in_arms: bool
    symptoms_earlier: bool
    stomach: str = Field(description="none, upset, loose or both; empty when not answered.")


class DoseOut(Schema):
    id: int
    taken_at: datetime.datetime
    evening: datetime.date = Field(description="The evening (local date) the dose counts for.")
    form: str
    elemental_mg: float
    compound_mg: float | None
    note: str


class NightPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[NightOut]


class DosePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DoseOut]


class DashboardOut(Schema):
    days: int
    start: datetime.date
    end: datetime.date
    nights_logged: int
    moderate_score: int = Field(description="Legs score counted as at least moderate.")
    moderate_nights: int
    moderate_nights_per_week: float | None
    any_symptom_nights: int
    any_symptom_nights_per_week: float | None
    clinically_significant: bool
    mean_severity: float | None
    mean_quality: float | None
    sleep_efficiency_percent: float | None
    efficiency_nights: int
    mean_total_sleep_min: float | None
    evenings_counted: int
    evenings_dosed: int
    evenings_skipped: int
    adherence_percent: float | None
    mean_evening_mg: float | None
    streak: int


class Detail(Schema):
    detail: str


class Errors(Schema):
    errors: dict[str, list[str]] = Field(
        description="Messages by field name (`__all__` for the request as a whole)."
    )


class SafetyNoteOut(Schema):
    text: str
    source: str


class DoseCreated(DoseOut):
    safety_notes: list[SafetyNoteOut] = Field(
        description="Calm, sourced notes the web shows after logging a dose (upper level, "
        "spacing from other medicines); empty when there are none."
    )
