"""The FHIR export: valid against the fhir.resources models, and values and units round-trip.

fhir.resources ships R5 by default and R4B beside it, but no plain R4 on pydantic 2; the
resources and elements used have the same shape in R4 and R4B (see tracker/fhir.py).
"""

import datetime
import json
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from tests.factories import DEFAULT_PASSWORD
from tests.sharing.conftest import NOW, TONIGHT
from tracker import fhir
from tracker.models import Dose, LabResult, NightLog

pytestmark = pytest.mark.django_db
UCUM = "http://unitsofmeasure.org"
LOINC = "http://loinc.org"


def _validated(bundle: dict) -> dict:
    """The bundle after the R4B models parsed it: the Bundle, and each resource by its class."""
    Bundle.model_validate(bundle)
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    # Through JSON and back, as a reader gets it.
    return json.loads(Bundle.model_validate(bundle).model_dump_json())


def _resources(bundle: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _local(resource: dict) -> str:
    return resource["code"]["coding"][0]["code"]


def test_the_full_bundle_is_valid_fhir(user, history):
    bundle = fhir.fhir_bundle(user=user, now=NOW)
    parsed = _validated(bundle)
    assert parsed["type"] == "collection"
    kinds = [e["resource"]["resourceType"] for e in parsed["entry"]]
    assert kinds.count("Patient") == 1
    assert kinds.count("MedicationAdministration") == 20
    assert kinds.count("MedicationStatement") == 2  # my magnesium and gabapentin
    # 20 nights × (legs + sleep quality) + 20 sleep diaries + 3 lab values.
    assert kinds.count("Observation") == 20 * 3 + 3
    assert len({e["fullUrl"] for e in parsed["entry"]}) == len(parsed["entry"])
    patient_url = parsed["entry"][0]["fullUrl"]
    assert all(
        r["subject"]["reference"] == patient_url
        for e in parsed["entry"]
        if (r := e["resource"])["resourceType"] != "Patient"
    )
    assert all(r["status"] == "final" for r in _resources(parsed, "Observation"))
    assert all(r["status"] == "completed" for r in _resources(parsed, "MedicationAdministration"))


def test_each_nights_scores_come_back(user, history):
    parsed = _validated(fhir.fhir_bundle(user=user, now=NOW))
    observations = _resources(parsed, "Observation")
    legs = {
        o["effectiveDateTime"]: o["valueInteger"] for o in observations if _local(o) == "legs-score"
    }
    quality = {
        o["effectiveDateTime"]: o["valueInteger"]
        for o in observations
        if _local(o) == "sleep-quality"
    }
    stored = NightLog.objects.filter(user=user)
    assert legs == {n.evening.isoformat(): n.severity for n in stored}
    assert quality == {n.evening.isoformat(): n.sleep_quality for n in stored}
    assert {c["system"] for o in observations for c in o["code"]["coding"]} == {
        fhir.code_system(),
        LOINC,
    }
    assert fhir.code_system() == f"{settings.SITE_URL}/fhir/CodeSystem/restwell"


def test_the_sleep_diary_keeps_times_in_the_users_zone_and_minutes_in_ucum(user, history):
    parsed = _validated(fhir.fhir_bundle(user=user, now=NOW))
    evening = (TONIGHT - datetime.timedelta(days=2)).isoformat()
    diary = next(
        o
        for o in _resources(parsed, "Observation")
        if _local(o) == "sleep-diary" and o["effectiveDateTime"] == evening
    )
    parts = {c["code"]["coding"][0]["code"]: c for c in diary["component"]}
    # 23:00 London summer time on the 13th, 07:00 the next morning.
    assert parts["in-bed"]["valueDateTime"] == "2026-06-13T23:00:00+01:00"
    assert parts["out-of-bed"]["valueDateTime"] == "2026-06-14T07:00:00+01:00"
    assert parts["sleep-latency"]["valueQuantity"] == {
        "value": 15,
        "unit": "min",
        "system": UCUM,
        "code": "min",
    }
    assert parts["awakenings"]["valueInteger"] == 2
    night = NightLog.objects.get(user=user, evening=evening)
    in_bed = datetime.datetime.fromisoformat(parts["in-bed"]["valueDateTime"])
    assert in_bed == night.in_bed_at


def test_each_dose_comes_back_in_elemental_mg(user, history):
    parsed = _validated(fhir.fhir_bundle(user=user, now=NOW))
    given = {
        datetime.datetime.fromisoformat(r["effectiveDateTime"]): r["dosage"]["dose"]
        for r in _resources(parsed, "MedicationAdministration")
    }
    stored = Dose.objects.filter(user=user)
    assert len(given) == stored.count() == 20
    for dose in stored:
        quantity = given[dose.taken_at]
        assert Decimal(str(quantity["value"])) == dose.elemental_mg  # 1000 mg compound → 141
        assert (quantity["unit"], quantity["system"], quantity["code"]) == ("mg", UCUM, "mg")
    administration = _resources(parsed, "MedicationAdministration")[0]
    assert administration["medicationCodeableConcept"]["coding"][0]["code"] == (
        "magnesium-glycinate"
    )
    assert "1000 mg of the compound" in administration["dosage"]["text"]


def test_labs_carry_loinc_codes_and_ucum_units(user, history):
    parsed = _validated(fhir.fhir_bundle(user=user, now=NOW))
    labs = [
        o for o in _resources(parsed, "Observation") if o["code"]["coding"][0]["system"] == LOINC
    ]
    found = {
        (o["code"]["coding"][0]["code"], o["effectiveDateTime"]): o["valueQuantity"] for o in labs
    }
    assert found == {
        ("2276-4", "2026-05-01"): {"value": 48, "unit": "ng/mL", "system": UCUM, "code": "ng/mL"},
        ("2502-3", "2026-05-01"): {"value": 22, "unit": "%", "system": UCUM, "code": "%"},
        ("2502-3", "2026-06-15"): {"value": 31, "unit": "%", "system": UCUM, "code": "%"},
    }
    displays = {o["code"]["coding"][0]["display"] for o in labs}
    assert displays == {
        "Ferritin [Mass/volume] in Serum or Plasma",
        "Iron saturation [Mass Fraction] in Serum or Plasma",
    }
    ferritin = LabResult.objects.get(user=user, ferritin_ng_ml__isnull=False)
    assert Decimal(found[("2276-4", "2026-05-01")]["value"]) == ferritin.ferritin_ng_ml


def test_medicines_are_statements_with_their_usual_time(user, history):
    parsed = _validated(fhir.fhir_bundle(user=user, now=NOW))
    statements = {
        s["medicationCodeableConcept"]["coding"][0]["code"]: s
        for s in _resources(parsed, "MedicationStatement")
    }
    gabapentin = statements["medicine-gabapentin"]
    assert gabapentin["status"] == "active"
    assert gabapentin["medicationCodeableConcept"]["text"] == "Neurontin"
    assert gabapentin["dosage"][0]["timing"]["repeat"]["timeOfDay"] == ["22:00:00"]
    product = statements["magnesium-glycinate"]
    assert product["dosage"][0]["doseAndRate"][0]["doseQuantity"]["value"] == 200


def test_a_shared_bundle_holds_only_what_its_report_shows(user, history):
    start, end = TONIGHT - datetime.timedelta(days=9), TONIGHT - datetime.timedelta(days=1)
    parsed = _validated(
        fhir.fhir_bundle(user=user, now=NOW, scope=fhir.SHARED, start=start, end=end)
    )
    evenings = {
        o["effectiveDateTime"]
        for o in _resources(parsed, "Observation")
        if _local(o) == "legs-score"
    }
    assert evenings == {(start + datetime.timedelta(days=i)).isoformat() for i in range(9)}
    assert len(_resources(parsed, "MedicationAdministration")) == 9
    assert _resources(parsed, "MedicationStatement") == []
    lab_dates = {
        o["effectiveDateTime"]
        for o in _resources(parsed, "Observation")
        if o["code"]["coding"][0]["system"] == LOINC
    }
    assert lab_dates == {"2026-05-01"}  # the test after the last evening is not shared


def test_an_empty_log_is_a_valid_bundle(user):
    parsed = _validated(fhir.fhir_bundle(user=user, now=NOW))
    assert [e["resource"]["resourceType"] for e in parsed["entry"]] == ["Patient"]


def test_the_download_asks_to_reauthenticate_then_holds_only_my_data(
    client, user, other_user, history
):
    client.force_login(user)
    response = client.get(reverse("sharing:fhir"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response["Location"]
    client.post(reverse("account_reauthenticate"), {"password": DEFAULT_PASSWORD})
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("sharing:fhir"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="restwell-fhir-2026-06-15.json"'
    assert "no-store" in response["Cache-Control"]
    bundle = json.loads(response.content)
    _validated(bundle)
    assert other_user.display_name not in response.text
    assert bundle["entry"][0]["resource"]["name"] == [{"text": user.display_name}]


def test_the_download_needs_sign_in(client, db):
    response = client.get(reverse("sharing:fhir"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
