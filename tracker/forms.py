"""Tracker forms: they parse and range-check input; services apply the domain rules.

Rendered like every form in the project, through crispy-forms; Django ties each error and
help text to its input (aria-invalid, aria-describedby), whichever side found the error.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tracker import reference, sleep_import
from tracker.fields import (
    LocalDateTimeField,
    amount_mg_field,
    dose_form_field,
    unit_field,
)
from tracker.models import (
    AWAKENINGS_MAX,
    LATENCY_MAX,
    WASO_MAX,
    Factor,
    IronFrequency,
    MedicineKind,
    Outcome,
    Quality,
    Stomach,
)
from tracker.models.experiment import MIN_ANALYSED_NIGHTS, PAIRS_RANGE, PERIOD_NIGHTS_RANGE
from tracker.services import rules

SEVERITY_CHOICES = [(n, str(n)) for n in range(11)]


def _minutes(label, top):
    message = rules.range_message(top)
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=top,
        error_messages={"min_value": message, "max_value": message, "invalid": message},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "form-control"}),
    )


def _time(label):
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs={"type": "time", "class": "form-control"}, format="%H:%M"),
        error_messages={"invalid": _("Enter a time such as 22:30.")},
    )


def _date(label, required=True):
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"),
        validators=[MinValueValidator(rules.EARLIEST_DATE, message=rules.EARLIEST_DATE_MESSAGE)],
        error_messages={"invalid": _("Enter a date such as 2026-03-08.")},
    )


def _stomach():
    """The morning's side-effect question: the night form's and the dashboard's one tap."""
    return forms.ChoiceField(
        label=_("Stomach upset or loose stools?"),
        choices=Stomach.choices,
        required=False,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        help_text=_("Optional. Loose stools are usually the first sign of too much magnesium."),
        error_messages={
            "invalid_choice": _("Choose one of the answers about your stomach, or leave it empty.")
        },
    )


class QuickNightForm(forms.Form):
    """'How was last night?': the two required answers, nothing else."""

    evening = _date(_("Night of"))
    severity = forms.TypedChoiceField(
        label=_("How bad were your legs?"),
        choices=SEVERITY_CHOICES,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={
            "required": rules.SEVERITY_MESSAGE,
            "invalid_choice": rules.SEVERITY_MESSAGE,
        },
    )
    sleep_quality = forms.TypedChoiceField(
        label=_("How did you sleep?"),
        choices=Quality.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "btn-check"}),
        error_messages={"required": rules.QUALITY_MESSAGE, "invalid_choice": rules.QUALITY_MESSAGE},
    )


class NightForm(QuickNightForm):
    symptoms_started = _time(_("Symptoms started at"))
    in_bed = _time(_("Went to bed at"))
    tried_sleep = _time(_("Tried to sleep at"))
    sleep_latency_min = _minutes(_("Minutes to fall asleep"), LATENCY_MAX)
    awakenings = _minutes(_("Times you woke up"), AWAKENINGS_MAX)
    waso_min = _minutes(_("Minutes awake during the night, in total"), WASO_MAX)
    final_wake = _time(_("Woke up for the day at"))
    out_of_bed = _time(_("Got out of bed at"))
    factors = forms.MultipleChoiceField(
        label=_("Anything that may have played a part?"),
        choices=Factor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "btn-check"}),
    )
    tags = forms.CharField(
        label=_("Other factors"),
        help_text=_("Separate with commas, e.g. late dinner, hot room."),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    notes = forms.CharField(
        label=_("Notes"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    stomach = _stomach()
    symptoms_in_arms = forms.BooleanField(
        label=_("Symptoms spread to my arms"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    symptoms_earlier = forms.BooleanField(
        label=_("Symptoms started earlier in the day than usual"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    TIME_FIELDS = ("symptoms_started", "in_bed", "tried_sleep", "final_wake", "out_of_bed")
    DETAIL_FIELDS = (
        "symptoms_started",
        "in_bed",
        "tried_sleep",
        "sleep_latency_min",
        "awakenings",
        "waso_min",
        "final_wake",
        "out_of_bed",
    )

    def detail_fields(self) -> list:
        """The sleep-diary fields in their order (the template once looped over every field
        for each name: 8 × 20 iterations a page)."""
        return [self[name] for name in self.DETAIL_FIELDS]

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["times"] = {name: data.pop(name) for name in self.TIME_FIELDS}
        return data

    @classmethod
    def initial_from(cls, night) -> dict:
        zone = night.user.zone
        initial = {
            name: getattr(night, name)
            for name in (
                "evening",
                "severity",
                "sleep_quality",
                "sleep_latency_min",
                "awakenings",
                "waso_min",
                "factors",
                "tags",
                "notes",
                "stomach",
                "symptoms_in_arms",
                "symptoms_earlier",
            )
        }
        for name in cls.TIME_FIELDS:
            instant = getattr(night, f"{name}_at")
            initial[name] = instant.astimezone(zone).time() if instant else None
        return initial


class NightEditForm(NightForm):
    """Editing keeps the night's date unless the user ticks "move" (the service asks first).

    `version` is the night's `updated_at` when the form was loaded: if the night changed
    since (another device), the save still wins and the user is told (night_update).
    """

    move = forms.BooleanField(
        label=rules.MOVE_LABEL,
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    version = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)

    def clean_version(self):
        try:
            seen = datetime.datetime.fromisoformat(self.cleaned_data["version"])
        except ValueError:
            return None  # no version (an old page): saved without the check
        return seen if timezone.is_aware(seen) else None

    def service_kwargs(self) -> dict:
        data = super().service_kwargs()
        data["seen_version"] = data.pop("version")
        return data

    @classmethod
    def initial_from(cls, night) -> dict:
        return {**super().initial_from(night), "version": night.updated_at.isoformat()}


class NightStomachForm(forms.Form):
    """The dashboard's follow-up once last night is saved: the stomach answer alone, by the
    night form's own field (one rule, one message)."""

    stomach = _stomach()


class QuickDoseForm(forms.Form):
    """The one-tap dose: the moment of the tap, when the browser sends it (a queued tap is
    sent later, but was taken then). Absent or unreadable: now."""

    tapped_at = forms.DateTimeField(required=False)


class DoseForm(forms.Form):
    taken_at = LocalDateTimeField(
        label=_("Taken at"),
        earliest=rules.EARLIEST_DATE,
        earliest_message=rules.EARLIEST_DATE_MESSAGE,
    )
    form = dose_form_field()
    amount_mg = amount_mg_field()
    unit = unit_field()
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    remember = forms.BooleanField(
        label=_("Remember this as “My magnesium” for one-tap logging"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class ProductForm(forms.Form):
    form = dose_form_field()
    amount_mg = amount_mg_field()
    unit = unit_field()


class MedicineForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Medicine"),
        choices=MedicineKind.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    name = forms.CharField(
        label=_("Name or brand (optional)"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    usual_time = _time(_("Usual time you take it (optional)"))


class LabForm(forms.Form):
    taken_on = _date(_("Date of the blood test"))
    ferritin_ng_ml = forms.DecimalField(
        label=_("Ferritin (ng/mL, the same as µg/L)"),
        required=False,
        min_value=0,
        max_value=rules.FERRITIN_MAX,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
        error_messages={"max_value": rules.range_message(rules.FERRITIN_MAX)},
    )
    tsat_percent = forms.DecimalField(
        label=_("Transferrin saturation (%)"),
        required=False,
        min_value=0,
        max_value=rules.TSAT_MAX,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
        error_messages={"max_value": rules.range_message(rules.TSAT_MAX)},
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    morning_no_iron = forms.TypedChoiceField(
        label=_("Was it a morning sample, with no iron taken in the 24 hours before? (optional)"),
        choices=[("", _("Not sure")), ("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=reference.IRON_SAMPLING_ADVICE,
    )


class IronProductForm(forms.Form):
    name = forms.CharField(
        label=_("Product"),
        max_length=80,
        widget=forms.TextInput(attrs={"class": "form-control"}),
        error_messages={"required": rules.IRON_NAME_MESSAGE},
    )
    elemental_mg = forms.DecimalField(
        label=_("Elemental iron per dose (mg)"),
        min_value=Decimal("0.1"),
        max_value=reference.IRON_DOSE_TYPO_LIMIT_MG.value,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.1"}),
        help_text=_(
            "The label's figure for iron itself, often “elemental iron” or “providing”, not "
            "the weight of the salt: a ferrous sulfate 325 mg tablet holds 65 mg of iron."
        ),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=IronFrequency.choices,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    usual_time = _time(_("Usual time you take it (optional)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        message = rules.iron_amount_message()
        for code in ("required", "invalid", "min_value", "max_value", "max_decimal_places"):
            self.fields["elemental_mg"].error_messages[code] = message


class TrialForm(forms.Form):
    baseline_start = _date(_("Baseline: first night"))
    baseline_end = _date(_("Baseline: last night"))
    magnesium_start = _date(_("Magnesium: first night"))
    magnesium_end = _date(_("Magnesium: last night (leave empty if ongoing)"), required=False)


class DateRangeForm(forms.Form):
    """The list and report filter (?from=&to=); both ends optional and inclusive."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The query-string names are Python keywords, so the fields are added here.
        self.fields["from"] = _date(_("From"), required=False)
        self.fields["to"] = _date(_("To"), required=False)

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and end < start:
            self.add_error("to", _("The end date is before the start date."))
        return data

    def bounds(self) -> tuple[datetime.date | None, datetime.date | None]:
        """The valid bounds; an invalid filter shows its errors and filters nothing."""
        if not self.is_bound or not self.is_valid():
            return None, None
        return self.cleaned_data.get("from"), self.cleaned_data.get("to")


def _choice_range(low: int, high: int) -> list[tuple[int, str]]:
    return [(n, str(n)) for n in range(low, high + 1)]


class ExperimentPlanForm(forms.Form):
    """The planner: one screen, defaults that work (tracker/reference.py says why)."""

    outcome = forms.ChoiceField(
        label=_("What should the experiment judge by?"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        help_text=_("Chosen now and locked when you start, so the answer cannot be picked later."),
    )
    smallest_change = forms.DecimalField(
        label=_("The smallest change that would matter to you"),
        min_value=rules.SMALLEST_CHANGE_RANGE[0],
        max_value=rules.SMALLEST_CHANGE_RANGE[1],
        decimal_places=1,
        error_messages={
            "min_value": rules.SMALLEST_CHANGE_MESSAGE,
            "max_value": rules.SMALLEST_CHANGE_MESSAGE,
            "invalid": _("Enter a number such as 1 or 1.5."),
        },
        widget=forms.NumberInput(attrs={"step": "0.1", "inputmode": "decimal"}),
    )
    pairs = forms.TypedChoiceField(
        label=_("Pairs of periods"),
        coerce=int,
        choices=_choice_range(*PAIRS_RANGE),
        help_text=_("Each pair is one magnesium period and one without, in a random order."),
    )
    period_nights = forms.TypedChoiceField(
        label=_("Nights per period"),
        coerce=int,
        choices=_choice_range(*PERIOD_NIGHTS_RANGE),
    )
    washout_nights = forms.TypedChoiceField(
        label=_("Washout: first nights of each period left out of the comparison"),
        coerce=int,
        choices=_choice_range(0, PERIOD_NIGHTS_RANGE[1] - MIN_ANALYSED_NIGHTS),
        help_text=_("Magnesium may take a night or two to act and to wear off."),
    )
    start_evening = _date(_("First evening"))
    blinded = forms.BooleanField(
        label=_("Someone else fills identical capsules (magnesium or placebo) for me"),
        required=False,
        help_text=_(
            "Then Restwell only says which packet tonight's capsule comes from, and shows the "
            "allocation at the end. The article explains how to do it safely."
        ),
    )


class ExperimentAmendForm(forms.Form):
    """A change after the start: recorded, dated and shown beside the result."""

    reason = forms.CharField(
        label=_("Why are you changing the plan?"),
        max_length=300,
        error_messages={"required": _("Say in a few words why you change the plan.")},
    )
    smallest_change = ExperimentPlanForm.base_fields["smallest_change"]
    pairs = forms.TypedChoiceField(
        label=_("Pairs of periods (you can add pairs, not remove them)"),
        coerce=int,
        choices=_choice_range(*PAIRS_RANGE),
    )
    dose_elemental_mg = amount_mg_field(label=_("Magnesium per evening (mg elemental)"))


class SleepImportForm(forms.Form):
    """An uploaded sleep export. Cleaning reads it (tracker.sleep_import): a file Restwell
    cannot use is refused with a message that says what to upload instead."""

    file = forms.FileField(
        label=_("Your export file"),
        help_text=_("export.zip from the Health app, or a JSON file from Health Auto Export."),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".zip,.json,.xml,application/zip"}
        ),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": sleep_import.MESSAGES["empty"],
            "invalid": _("No file arrived. Choose the file again and upload it."),
        },
    )

    def __init__(self, *args, user, newest: datetime.date, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.newest, self.too_large = user, newest, too_large
        self.result: sleep_import.ImportResult | None = None

    def clean(self):
        if self.too_large:  # the upload was stopped at the cap: no file arrived
            self.errors.pop("file", None)
            self.add_error("file", sleep_import.SleepImportError("too_large").message)
        return super().clean()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            self.result = sleep_import.read_upload(
                upload,
                size=upload.size,
                zone=self.user.zone,
                wake_time=self.user.wake_time,
                newest=self.newest,
            )
        except sleep_import.SleepImportError as error:
            raise forms.ValidationError(error.message, code=error.code) from None
        return upload


class SleepApplyForm(forms.Form):
    """The nights ticked on the review page (only nights that something can be filled in)."""

    night = forms.MultipleChoiceField(
        choices=(),
        error_messages={
            "required": _("Tick at least one night to fill in."),
            "invalid_choice": _("That night cannot be filled in from this import any more."),
        },
    )

    def __init__(self, *args, evenings: list[datetime.date], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["night"].choices = [(e.isoformat(), e.isoformat()) for e in evenings]

    def evenings(self) -> list[datetime.date]:
        return [datetime.date.fromisoformat(value) for value in self.cleaned_data["night"]]
