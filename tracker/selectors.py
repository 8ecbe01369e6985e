"""Tracker reads shared by views, reports, exports and the reminders app."""

import datetime

from tracker.models import Dose, SavedProduct


def saved_product_get(*, user) -> SavedProduct | None:
    return SavedProduct.objects.filter(user=user).first()


def evening_has_dose(*, user, evening: datetime.date) -> bool:
    return Dose.objects.filter(user=user, evening=evening).exists()


def last_dose_get(*, user) -> Dose | None:
    return Dose.objects.filter(user=user).order_by("-taken_at", "-pk").first()
