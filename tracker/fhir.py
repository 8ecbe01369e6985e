"""The log as a FHIR R4 Bundle (JSON, type "collection"), built as plain dicts.

What goes in, each resource pointing at one Patient (the name the report shows, nothing else):

- Observation per night answered: stomach upset or loose stools (a local code for the
  question, the answer as a local-coded valueCodeableConcept).
- Observation per night: the legs score (0-10, valueInteger), sleep quality (1-5,
  valueInteger) and, when any diary detail was logged, the sleep diary as components (clock
  times as valueDateTime in the user's zone, minutes as UCUM "min", awakenings as integers).
  These have no standard code, so they carry codes from Restwell's own code system,
  `<SITE_URL>/fhir/CodeSystem/restwell` (`code_system()`), and a plain-words text.
- Observation per blood test value: ferritin (LOINC 2276-4, ng/mL) and transferrin
  saturation (LOINC 2502-3, %), both in UCUM; the codes live in tracker/reference.py.
- MedicationAdministration per dose: elemental magnesium in mg (UCUM), the form as a local
  code, the compound amount in the dosage text.
- MedicationStatement for "My magnesium" and for each other medicine recorded, with its
  usual time (Timing.repeat.timeOfDay).

A share link's bundle (`scope=SHARED`) holds what its report shows: the nights and doses of
its evenings and the blood tests up to its last evening — not the medicine list.

The tests validate the output with the `fhir.resources` models (a dev requirement only). That
package ships FHIR R5 by default and R4B (4.3.0) beside it, but no plain R4 (4.0.1) for
pydantic 2; the resources used here (Observation, MedicationAdministration,
MedicationStatement, Patient, Bundle) have the same shape in R4 and R4B for every element
used, so the tests validate against R4B.
"""

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tracker import reference
from tracker.models import (
    Dose,
    Form,
    LabResult,
    MedicineKind,
    NightLog,
    OtherMedicine,
    Quality,
    SavedProduct,
    Stomach,
)
from tracker.services.doses import elemental_mg_of

FULL = "full"
SHARED = "shared"

CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
# The diary's optional details: field → (local code, display, kind of value).
DIARY_COMPONENTS = (
    ("symptoms_started_at", "symptoms-started", "Time the symptoms started", "time"),
    ("in_bed_at", "in-bed", "Time went to bed", "time"),
    ("tried_sleep_at", "tried-to-sleep", "Time tried to sleep", "time"),
    ("sleep_latency_min", "sleep-latency", "Minutes to fall asleep", "minutes"),
    ("awakenings", "awakenings", "Number of awakenings", "count"),
    ("waso_min", "wake-after-sleep-onset", "Minutes awake during the night", "minutes"),
    ("final_wake_at", "final-wake", "Time of final awakening", "time"),
    ("out_of_bed_at", "out-of-bed", "Time got out of bed", "time"),
)


def code_system() -> str:
    """Restwell's own code system, for what no standard terminology names."""
    return f"{settings.SITE_URL}/fhir/CodeSystem/restwell"


def fhir_bundle(
    *,
    user,
    now: datetime.datetime,
    scope: str = FULL,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> dict:
    """The user's log as a Bundle; `start`/`end` bound the evenings (and labs up to `end`)."""
    builder = _Builder(user=user)
    nights = NightLog.objects.filter(user=user).order_by("evening")
    doses = Dose.objects.filter(user=user).order_by("taken_at", "pk")
    labs = LabResult.objects.filter(user=user).order_by("taken_on", "pk")
    if start is not None:
        nights, doses = nights.filter(evening__gte=start), doses.filter(evening__gte=start)
    if end is not None:
        nights, doses = nights.filter(evening__lte=end), doses.filter(evening__lte=end)
        labs = labs.filter(taken_on__lte=end)
    entries = [builder.patient()]
    for night in nights:
        entries += builder.night(night)
    for lab in labs:
        entries += builder.lab(lab)
    entries += [builder.dose(dose) for dose in doses]
    if scope == FULL:
        product = SavedProduct.objects.filter(user=user).first()
        if product is not None:
            entries.append(builder.saved_product(product))
        for medicine in OtherMedicine.objects.filter(user=user).order_by("kind", "pk"):
            entries.append(builder.medicine(medicine))
    return {
        "resourceType": "Bundle",
        "id": str(uuid.uuid4()),
        "type": "collection",
        "timestamp": now.astimezone(user.zone).isoformat(timespec="seconds"),
        "entry": entries,
    }


def _number(value: Decimal) -> float | int:
    """A stored Decimal as a JSON number (integers without ".0")."""
    return int(value) if value == value.to_integral_value() else float(value)


def _mg(value: Decimal) -> dict:
    return {"value": _number(value), "unit": "mg", "system": reference.UCUM_SYSTEM, "code": "mg"}


class _Builder:
    def __init__(self, *, user):
        self.user = user
        self.site = settings.SITE_URL
        self.patient_url = self._url("patient", user.pk)

    def _url(self, kind: str, pk) -> str:
        return f"urn:uuid:{self._id(kind, pk)}"

    def _id(self, kind: str, pk) -> str:
        # Stable across exports of the same row, so a reader can tell a re-import from new data.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.site}/fhir/{kind}/{self.user.pk}/{pk}"))

    def _entry(self, kind: str, pk, resource: dict) -> dict:
        resource = {"id": self._id(kind, pk), **resource}
        return {"fullUrl": self._url(kind, pk), "resource": resource}

    def _local(self, code: str, display: str) -> dict:
        return {"coding": [{"system": code_system(), "code": code, "display": display}]}

    def _time(self, instant: datetime.datetime) -> str:
        return instant.astimezone(self.user.zone).isoformat(timespec="seconds")

    def _observation(self, *, code: dict, category: str, effective: str, **value) -> dict:
        return {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": CATEGORY_SYSTEM, "code": category}]}],
            "code": code,
            "subject": {"reference": self.patient_url},
            "effectiveDateTime": effective,
            **value,
        }

    def patient(self) -> dict:
        resource = {"resourceType": "Patient"}
        if self.user.display_name:  # an email address is not a name: none is better
            resource["name"] = [{"text": self.user.display_name}]
        return self._entry("patient", self.user.pk, resource)

    def night(self, night: NightLog) -> list[dict]:
        evening = night.evening.isoformat()
        entries = [
            self._entry(
                "legs-score",
                night.pk,
                self._observation(
                    code={
                        **self._local("legs-score", "Restless legs symptoms that night (0-10)"),
                        "text": _("How bad were your legs (0 none, 10 worst imaginable)"),
                    },
                    category="survey",
                    effective=evening,
                    valueInteger=night.severity,
                ),
            ),
            self._entry(
                "sleep-quality",
                night.pk,
                self._observation(
                    code={
                        **self._local("sleep-quality", "Sleep quality that night (1-5)"),
                        "text": _("Sleep quality (1 very poor, 5 very good)"),
                    },
                    category="survey",
                    effective=evening,
                    valueInteger=night.sleep_quality,
                    interpretation=[{"text": str(Quality(night.sleep_quality).label)}],
                ),
            ),
        ]
        components = [
            self._component(code, display, kind, getattr(night, field))
            for field, code, display, kind in DIARY_COMPONENTS
            if getattr(night, field) is not None
        ]
        if night.stomach:
            entries.append(self._entry("stomach", night.pk, self._stomach(night, evening)))
        if components:
            diary = self._observation(
                code={**self._local("sleep-diary", "Sleep diary"), "text": _("Sleep diary")},
                category="survey",
                effective=evening,
                component=components,
            )
            entries.append(self._entry("sleep-diary", night.pk, diary))
        return entries

    def _stomach(self, night: NightLog, evening: str) -> dict:
        """The morning's side-effect answer: a local code for the question and the answer."""
        label = str(Stomach(night.stomach).label)
        return self._observation(
            code={
                **self._local("stomach", "Stomach upset or loose stools that night"),
                "text": _("Stomach upset or loose stools"),
            },
            category="survey",
            effective=evening,
            valueCodeableConcept={
                **self._local(f"stomach-{night.stomach}", label),
                "text": label,
            },
        )

    def _component(self, code: str, display: str, kind: str, value) -> dict:
        component = {"code": self._local(code, display)}
        if kind == "time":
            component["valueDateTime"] = self._time(value)
        elif kind == "minutes":
            component["valueQuantity"] = {
                "value": value,
                "unit": "min",
                "system": reference.UCUM_SYSTEM,
                "code": "min",
            }
        else:
            component["valueInteger"] = value
        return component

    def lab(self, lab: LabResult) -> list[dict]:
        entries = []
        for kind, value, (code, display, unit) in (
            ("ferritin", lab.ferritin_ng_ml, reference.LOINC_FERRITIN),
            ("tsat", lab.tsat_percent, reference.LOINC_TSAT),
        ):
            if value is None:
                continue
            observation = self._observation(
                code={
                    "coding": [
                        {"system": reference.LOINC_SYSTEM, "code": code, "display": display}
                    ],
                    "text": display,
                },
                category="laboratory",
                effective=lab.taken_on.isoformat(),
                valueQuantity={
                    "value": _number(value),
                    "unit": unit,
                    "system": reference.UCUM_SYSTEM,
                    "code": unit,
                },
            )
            entries.append(self._entry(kind, lab.pk, observation))
        return entries

    def _magnesium(self, form: str) -> dict:
        label = str(Form(form).label)
        return {
            **self._local(f"magnesium-{form}", f"Magnesium supplement ({label})"),
            "text": _("Magnesium (%(form)s)") % {"form": label},
        }

    def dose(self, dose: Dose) -> dict:
        text = _("%(mg)s mg elemental magnesium") % {"mg": _number(dose.elemental_mg)}
        if dose.compound_mg is not None:
            text += _(" (%(mg)s mg of the compound)") % {"mg": _number(dose.compound_mg)}
        resource = {
            "resourceType": "MedicationAdministration",
            "status": "completed",
            "medicationCodeableConcept": self._magnesium(dose.form),
            "subject": {"reference": self.patient_url},
            "effectiveDateTime": self._time(dose.taken_at),
            "dosage": {"text": text, "dose": _mg(dose.elemental_mg)},
        }
        if dose.note:
            resource["note"] = [{"text": dose.note}]
        return self._entry("dose", dose.pk, resource)

    def saved_product(self, product: SavedProduct) -> dict:
        try:
            elemental = elemental_mg_of(
                form=product.form, amount_mg=product.amount_mg, unit=product.unit
            )
        except ValidationError:
            elemental = None
        amount = {"mg": _number(product.amount_mg), "unit": product.get_unit_display()}
        dosage = {"text": _("%(mg)s mg (%(unit)s) each evening") % amount}
        if elemental is not None:
            dosage["doseAndRate"] = [{"doseQuantity": _mg(elemental)}]
        resource = {
            "resourceType": "MedicationStatement",
            "status": "active",
            "medicationCodeableConcept": self._magnesium(product.form),
            "subject": {"reference": self.patient_url},
            "dosage": [dosage],
        }
        return self._entry("saved-product", product.pk, resource)

    def medicine(self, medicine: OtherMedicine) -> dict:
        label = str(MedicineKind(medicine.kind).label)
        dosage = {"text": _("Usual time not recorded")}
        if medicine.usual_time is not None:
            clock = medicine.usual_time.strftime("%H:%M:%S")
            dosage = {
                "text": _("Usually taken at %(time)s") % {"time": clock[:5]},
                "timing": {"repeat": {"timeOfDay": [clock]}},
            }
        resource = {
            "resourceType": "MedicationStatement",
            "status": "active",
            "medicationCodeableConcept": {
                **self._local(f"medicine-{medicine.kind}", label),
                "text": medicine.name or label,
            },
            "subject": {"reference": self.patient_url},
            "dosage": [dosage],
        }
        return self._entry("medicine", medicine.pk, resource)
