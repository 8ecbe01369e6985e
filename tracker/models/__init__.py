"""Tracker data: the diary (nights, doses, product, skips), records (medicines, labs, the
before/after trial) and the randomized experiment.

Models hold fields, constraints and small derived properties; writes go through the
tracker/services package, whose rules (tracker/services/rules.py) the forms reuse for their
messages. The database check constraints are the last line: no code path stores nonsense.
"""

from tracker.choices import (
    AWAKENINGS_MAX,
    LATENCY_MAX,
    SEVERITY_MAX,
    WASO_MAX,
    Factor,
    Form,
    IronFrequency,
    MedicineKind,
    Quality,
    Stomach,
    Unit,
)
from tracker.models.diary import Dose, EveningSkip, NightLog, SavedProduct
from tracker.models.experiment import (
    Experiment,
    ExperimentAmendment,
    ExperimentCapsule,
    ExperimentLook,
    ExperimentStatus,
    Outcome,
)
from tracker.models.idempotency import IdempotencyKey
from tracker.models.records import IronProduct, LabResult, OtherMedicine, Trial
from tracker.models.sleep_import import ImportSource, SleepImport, SleepSuggestion
from tracker.models.stamp import DataStamp

__all__ = [
    "AWAKENINGS_MAX",
    "DataStamp",
    "LATENCY_MAX",
    "SEVERITY_MAX",
    "WASO_MAX",
    "Dose",
    "Experiment",
    "ExperimentAmendment",
    "ExperimentCapsule",
    "ExperimentLook",
    "ExperimentStatus",
    "EveningSkip",
    "Factor",
    "Form",
    "ImportSource",
    "IdempotencyKey",
    "IronFrequency",
    "IronProduct",
    "LabResult",
    "MedicineKind",
    "NightLog",
    "OtherMedicine",
    "Outcome",
    "Quality",
    "SavedProduct",
    "Stomach",
    "SleepImport",
    "SleepSuggestion",
    "Trial",
    "Unit",
]
