"""Tracker reads: querysets and rows shared by views, page contexts, exports and reminders.

They return data; what a page shows (charts, cards) is built in tracker/pages.py.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, When

from tracker import reference
from tracker.crossover import ExperimentLog, last_evening, tonight_plan
from tracker.models import (
    DataStamp,
    Dose,
    Experiment,
    ExperimentCapsule,
    ExperimentStatus,
    IronProduct,
    LabResult,
    NightLog,
    OtherMedicine,
    SavedProduct,
    SleepImport,
    SleepSuggestion,
    Trial,
)
from tracker.models.stamp import GROUPS
from tracker.summary import NIGHT_COLUMNS


def saved_product_get(*, user) -> SavedProduct | None:
    return SavedProduct.objects.filter(user=user).first()


def iron_product_get(*, user) -> IronProduct | None:
    return IronProduct.objects.filter(user=user).first()


@dataclass(frozen=True)
class ClinicalFlags:
    dopaminergic: bool  # takes a medicine of reference.AUGMENTATION_MEDICINES
    on_iron: bool  # has "My iron" (the labs page's re-test rule)
    last_ferritin_on: datetime.date | None


def _flag_annotations() -> dict:
    mine = OuterRef("pk")
    return {
        "dopaminergic": Exists(
            OtherMedicine.objects.filter(user=mine, kind__in=reference.AUGMENTATION_MEDICINES)
        ),
        "on_iron": Exists(IronProduct.objects.filter(user=mine)),
        "last_ferritin_on": Subquery(
            LabResult.objects.filter(user=mine, ferritin_ng_ml__isnull=False)
            .order_by("-taken_on")
            .values("taken_on")[:1]
        ),
    }


def clinical_flags_get(*, user) -> ClinicalFlags:
    """What the dashboard's and the report's clinical notes need to know: one query."""
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(**_flag_annotations())
        .values("dopaminergic", "on_iron", "last_ferritin_on")
        .first()
    )
    return ClinicalFlags(**row) if row else ClinicalFlags(False, False, None)


@dataclass(frozen=True)
class DashboardRecords:
    flags: ClinicalFlags
    trial: Trial | None
    has_experiment: bool  # False: the experiment card needs no query of its own
    product: SavedProduct | None  # "My magnesium", for the quick dose card


def dashboard_records_get(*, user) -> DashboardRecords:
    """The clinical flags, the trial, whether an experiment exists and "My magnesium",
    together: one query, not four. All of them are read from the "other" tables
    (tracker/models/stamp.py), so the dashboard keeps them cached across doses and nights."""
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .select_related("trial", "saved_product")
        .annotate(
            **_flag_annotations(),
            has_experiment=Exists(Experiment.objects.filter(user=OuterRef("pk"))),
        )
        .first()
    )
    if row is None:
        return DashboardRecords(ClinicalFlags(False, False, None), None, False, None)
    # A missing one-to-one row is cached as absent by select_related: no further query.
    trial = getattr(row, "trial", None)
    product = getattr(row, "saved_product", None)
    for record in (trial, product):
        if record is not None:
            # select_related left the whole account row (password hash, email) on the
            # record; the dashboard keeps it in its cached part.
            record._meta.get_field("user").delete_cached_value(record)
    return DashboardRecords(
        ClinicalFlags(row.dopaminergic, row.on_iron, row.last_ferritin_on),
        trial,
        row.has_experiment,
        product,
    )


def takes_dopaminergic(*, user) -> bool:
    return OtherMedicine.objects.filter(
        user=user, kind__in=reference.AUGMENTATION_MEDICINES
    ).exists()


def night_list(*, user) -> QuerySet[NightLog]:
    """The user's nights, newest first (a queryset: the list page filters and pages it)."""
    return NightLog.objects.filter(user=user).order_by("-evening")


def night_for_evening_get(*, user, evening: datetime.date) -> NightLog | None:
    return NightLog.objects.filter(user=user, evening=evening).first()


def night_id_for_evening(*, user, evening: datetime.date) -> int | None:
    """The id of the user's night of `evening`, or None: a redirect to it needs no more."""
    return NightLog.objects.filter(user=user, evening=evening).values_list("pk", flat=True).first()


def night_ids_by_evening(
    *, user, start: datetime.date, end: datetime.date
) -> dict[datetime.date, int]:
    """The user's logged nights from `start` to `end` (inclusive), evening → id: one query."""
    rows = NightLog.objects.filter(user=user, evening__range=(start, end))
    return dict(rows.values_list("evening", "pk"))


def evening_has_night(*, user, evening: datetime.date) -> bool:
    return NightLog.objects.filter(user=user, evening=evening).exists()


def dose_list(*, user) -> QuerySet[Dose]:
    """The user's doses, latest first (a queryset: the list page filters and pages it)."""
    return Dose.objects.filter(user=user).order_by("-taken_at", "-pk")


def medicine_list(*, user) -> QuerySet[OtherMedicine]:
    return OtherMedicine.objects.filter(user=user)


def lab_result_list(*, user, until: datetime.date | None = None) -> list[LabResult]:
    """The user's blood tests, oldest first (the order the charts draw them in)."""
    results = LabResult.objects.filter(user=user)
    if until is not None:
        results = results.filter(taken_on__lte=until)
    return list(results.order_by("taken_on", "pk"))


def trial_get(*, user) -> Trial | None:
    return Trial.objects.filter(user=user).first()


def evenings_taken(*, pairs: set[tuple[int, datetime.date]]) -> set[tuple[int, datetime.date]]:
    """Of (user id, evening) pairs, those on which the user logged a dose, or a blinded
    experiment's capsule (which stands for tonight's dose: the user cannot know which).

    For the reminders' sender: two queries per chunk instead of one per user. It reads the
    evening stored on each dose (tracker/evening.py).
    """
    if not pairs:
        return set()
    users = {user_id for user_id, _evening in pairs}
    evenings = {evening for _user_id, evening in pairs}
    found = set(
        Dose.objects.filter(user_id__any_of=users, evening__in=evenings).values_list(
            "user_id", "evening"
        )
    )
    found |= set(
        ExperimentCapsule.objects.filter(
            experiment__user_id__any_of=users, evening__in=evenings
        ).values_list("experiment__user_id", "evening")
    )
    return pairs & found


def last_dose_get(*, user) -> Dose | None:
    return dose_list(user=user).first()


def experiment_current(*, user) -> Experiment | None:
    """The plan or running experiment; else the latest stopped or finished one (to read)."""
    is_open = Q(status__in=[ExperimentStatus.PLANNING, ExperimentStatus.RUNNING])
    return (
        Experiment.objects.filter(user=user)
        .order_by(Case(When(is_open, then=0), default=1), "-created_at")
        .first()
    )


def experiment_log(*, experiment: Experiment) -> ExperimentLog:
    """The nights, dosed evenings (and, blinded, capsule evenings) of the experiment's
    schedule: two queries, three when blinded."""
    if experiment.orders is None:
        return ExperimentLog(nights={}, dosed=set())
    span = (experiment.start_evening, last_evening(experiment))
    user = experiment.user_id
    return ExperimentLog(
        nights={
            night.evening: night
            for night in NightLog.objects.filter(user_id=user, evening__range=span).only(
                *NIGHT_COLUMNS
            )
        },
        dosed=set(
            Dose.objects.filter(user_id=user, evening__range=span).values_list("evening", flat=True)
        ),
        capsules=set(experiment.capsules.values_list("evening", flat=True))
        if experiment.blinded
        else set(),
    )


def experiment_tonights(*, evenings: dict[int, datetime.date]) -> dict[int, tuple]:
    """For the reminders' sender: {user id: (experiment, Tonight)} for the users among
    `evenings` whose running experiment has that evening in its schedule. One query."""
    if not evenings:
        return {}
    found = {}
    running = Experiment.objects.filter(
        user_id__any_of=list(evenings), status=ExperimentStatus.RUNNING
    )
    for experiment in running:
        tonight = tonight_plan(experiment, evening=evenings[experiment.user_id])
        if tonight is not None:
            found[experiment.user_id] = (experiment, tonight)
    return found


def blinded_experiment_for(*, user, evening: datetime.date) -> Experiment | None:
    """The user's running blinded experiment if `evening` is one of its capsule evenings:
    then "I took it" means a capsule, never a magnesium dose."""
    experiment = (
        Experiment.objects.filter(user=user, status=ExperimentStatus.RUNNING, blinded=True)
        .select_related("user")
        .first()
    )
    if experiment is None or tonight_plan(experiment, evening=evening) is None:
        return None
    return experiment


def sleep_import_get(*, user, pk: int, now: datetime.datetime) -> SleepImport | None:
    """The user's import by id, unless it has expired (another user's is None: a 404)."""
    return SleepImport.objects.filter(user=user, pk=pk, expires_at__gt=now).first()


def sleep_import_current(*, user, now: datetime.datetime) -> SleepImport | None:
    return SleepImport.objects.filter(user=user, expires_at__gt=now).first()


def sleep_import_rows(*, sleep_import: SleepImport) -> list[dict]:
    """Each suggested night beside the diary entry it would fill (None: not logged yet)."""
    suggestions = list(sleep_import.suggestions.order_by("-evening"))
    nights = {
        night.evening: night
        for night in NightLog.objects.filter(
            user_id=sleep_import.user_id, evening__in=[s.evening for s in suggestions]
        )
    }
    return [{"suggestion": s, "night": nights.get(s.evening)} for s in suggestions]


def sleep_suggestion_for(*, user, evening: datetime.date, now: datetime.datetime):
    """The user's current imported suggestion for one night, if any (for the night form)."""
    return SleepSuggestion.objects.filter(
        sleep_import__user=user, sleep_import__expires_at__gt=now, evening=evening
    ).first()


def data_stamps_get(*, user) -> dict[str, int]:
    """The user's data stamp of each group (tracker/models/stamp.py); 0 before their first row.

    Read by every cached tracker page, hit or miss, so the SELECT is written out: through the
    ORM, building and compiling a query whose shape never changes cost about half a
    millisecond of CPU, a tenth of a dashboard hit (as portal/sessions.py's read)."""
    connection = connections[router.db_for_read(DataStamp)]
    quote = connection.ops.quote_name
    meta = DataStamp._meta
    columns = ", ".join(quote(meta.get_field(group).column) for group in GROUPS)
    sql = (
        f"SELECT {columns} FROM {quote(meta.db_table)} "  # noqa: S608 - no values in it  # nosec B608
        f"WHERE {quote(meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk])
        row = cursor.fetchone()
    return dict(zip(GROUPS, row or (0,) * len(GROUPS), strict=True))
