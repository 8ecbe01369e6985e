"""Tracker writes. Every function is keyword-only, validates, and raises ValidationError.

Errors are keyed by form field name so a form can show each message next to its field.
Other apps import from here (`tracker.services.dose_record`); the submodules are internal.
"""

from tracker.services.doses import (
    dose_delete,
    dose_record,
    dose_record_saved_product,
    dose_undo,
    dose_update,
    elemental_mg_of,
    evening_skip_record,
    saved_product_set,
)
from tracker.services.experiment import (
    experiment_amend,
    experiment_capsule_record,
    experiment_discard,
    experiment_key_show,
    experiment_look,
    experiment_plan,
    experiment_start,
    experiment_stop,
)
from tracker.services.idempotency import (
    idempotency_complete,
    idempotency_fingerprint,
    idempotency_keys_purge,
    idempotency_release,
    idempotency_reserve,
)
from tracker.services.nights import night_delete, night_log, night_stomach_set, night_update
from tracker.services.records import (
    iron_product_clear,
    iron_product_set,
    lab_delete,
    lab_record,
    medicine_add,
    medicine_delete,
    trial_clear,
    trial_set,
)
from tracker.services.sleep_import import (
    sleep_import_delete,
    sleep_import_store,
    sleep_imports_purge,
    sleep_suggestions_apply,
)

__all__ = [
    "dose_delete",
    "dose_undo",
    "dose_record",
    "dose_record_saved_product",
    "dose_update",
    "elemental_mg_of",
    "evening_skip_record",
    "experiment_amend",
    "experiment_capsule_record",
    "experiment_discard",
    "experiment_key_show",
    "experiment_look",
    "experiment_plan",
    "experiment_start",
    "experiment_stop",
    "idempotency_complete",
    "idempotency_fingerprint",
    "idempotency_keys_purge",
    "idempotency_release",
    "idempotency_reserve",
    "iron_product_clear",
    "iron_product_set",
    "lab_delete",
    "lab_record",
    "medicine_add",
    "medicine_delete",
    "night_delete",
    "night_log",
    "night_stomach_set",
    "night_update",
    "saved_product_set",
    "sleep_import_delete",
    "sleep_import_store",
    "sleep_imports_purge",
    "sleep_suggestions_apply",
    "trial_clear",
    "trial_set",
]
