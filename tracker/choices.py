"""The tracker's choices and range limits, shared by models, forms and services.

Kept apart from the models so the forms and charts can use them without the model classes;
tracker.models re-exports them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

SEVERITY_MAX = 10
LATENCY_MAX = 240
AWAKENINGS_MAX = 30
WASO_MAX = 720


class Form(models.TextChoices):
    GLYCINATE = "glycinate", _("Glycinate / bisglycinate")
    CITRATE = "citrate", _("Citrate")
    OXIDE = "oxide", _("Oxide")
    MALATE = "malate", _("Malate")
    THREONATE = "threonate", _("Threonate")
    CHLORIDE = "chloride", _("Chloride")
    OTHER = "other", _("Other")


class Unit(models.TextChoices):
    ELEMENTAL = "elemental", _("mg elemental (as on most labels)")
    COMPOUND = "compound", _("mg of the compound")


class Quality(models.IntegerChoices):
    VERY_POOR = 1, _("Very poor")
    POOR = 2, _("Poor")
    FAIR = 3, _("Fair")
    GOOD = 4, _("Good")
    VERY_GOOD = 5, _("Very good")


class Factor(models.TextChoices):
    CAFFEINE = "caffeine", _("Caffeine after noon")
    ALCOHOL = "alcohol", _("Alcohol")
    EXERCISE = "exercise", _("Exercise")
    SITTING = "sitting", _("Long sitting or travel")
    STRESS = "stress", _("Stress")
    ANTIHISTAMINE = "antihistamine", _("Antihistamine")
    OTHER = "other", _("Other")


class MedicineKind(models.TextChoices):
    GABAPENTIN = "gabapentin", _("Gabapentin")
    PREGABALIN = "pregabalin", _("Pregabalin")
    IRON = "iron", _("Iron")
    LEVOTHYROXINE = "levothyroxine", _("Levothyroxine")
    ANTIBIOTIC = "antibiotic", _("Tetracycline or quinolone antibiotic")
    BISPHOSPHONATE = "bisphosphonate", _("Bisphosphonate")
    # Dopaminergic RLS medicines: the augmentation watch (tracker/augmentation.py).
    PRAMIPEXOLE = "pramipexole", _("Pramipexole (Mirapex, Mirapexin)")
    ROPINIROLE = "ropinirole", _("Ropinirole (Requip)")
    ROTIGOTINE = "rotigotine", _("Rotigotine patch (Neupro)")
    LEVODOPA = "levodopa", _("Levodopa (Sinemet, Madopar)")
    OTHER = "other", _("Other")


class Stomach(models.TextChoices):
    """The morning's quick side-effect question (blank: not answered)."""

    NONE = "none", _("No")
    UPSET = "upset", _("Stomach upset")
    LOOSE = "loose", _("Loose stools")
    BOTH = "both", _("Both")


class IronFrequency(models.TextChoices):
    DAILY = "daily", _("Once a day")
    TWICE_DAILY = "twice_daily", _("Twice a day")
    ALTERNATE_DAYS = "alternate_days", _("Every other day")
    SOME_DAYS = "some_days", _("A few times a week")
