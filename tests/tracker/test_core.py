"""The core API other apps (reminders) depend on: doses, saved product, skips, selectors."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tracker import reference, selectors, services
from tracker.models import Dose, EveningSkip, NightLog

NY = zoneinfo.ZoneInfo("America/New_York")
UTC = datetime.UTC
NOW = datetime.datetime(2026, 6, 2, 2, 0, tzinfo=UTC)  # 22:00 on 1 June in New York

pytestmark = pytest.mark.django_db


@pytest.fixture
def ny_user(user):
    user.time_zone = "America/New_York"
    user.save()
    return user


def test_elemental_dose_is_stored_as_entered(ny_user):
    dose = services.dose_record(
        user=ny_user, taken_at=NOW, form="glycinate", amount_mg=200, unit="elemental", now=NOW
    )
    assert dose.elemental_mg == Decimal("200.0")
    assert dose.compound_mg is None
    assert dose.evening == datetime.date(2026, 6, 1)


def test_compound_glycinate_converts_at_about_14_percent(ny_user):
    # 24.305 / 172.42 = 0.14096...; 1000 mg × 0.14096 = 140.96 → 141.0 mg
    dose = services.dose_record(
        user=ny_user, taken_at=NOW, form="glycinate", amount_mg=1000, unit="compound", now=NOW
    )
    assert dose.elemental_mg == Decimal("141.0")
    assert dose.compound_mg == Decimal("1000.0")


@pytest.mark.parametrize(
    ("form", "compound", "elemental"),
    [
        ("oxide", 500, "301.6"),  # 24.305/40.30 = 0.60310; × 500 = 301.55
        ("citrate", 1000, "161.6"),  # 24.305/150.37 = 0.16163
        ("malate", 1000, "155.4"),  # 24.305/156.38 = 0.15542
        ("threonate", 2000, "165.1"),  # 24.305/294.49 = 0.08253
        ("chloride", 1000, "119.6"),  # 24.305/203.30 = 0.119552
    ],
)
def test_conversion_table(ny_user, form, compound, elemental):
    assert services.elemental_mg_of(form=form, amount_mg=compound, unit="compound") == Decimal(
        elemental
    )


def test_glycinate_fraction_matches_the_label_rule_of_thumb():
    assert round(float(reference.elemental_fraction("glycinate")) * 100, 1) == 14.1


def test_other_form_needs_elemental(ny_user):
    with pytest.raises(ValidationError) as error:
        services.dose_record(
            user=ny_user, taken_at=NOW, form="other", amount_mg=500, unit="compound", now=NOW
        )
    assert "unit" in error.value.message_dict


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount_mg": 1200}, "amount_mg"),  # above the typo limit
        ({"amount_mg": 0}, "amount_mg"),
        ({"amount_mg": -5}, "amount_mg"),
        ({"amount_mg": "lots"}, "amount_mg"),
        ({"amount_mg": "NaN"}, "amount_mg"),
        ({"form": "unobtainium"}, "form"),
        ({"unit": "grams"}, "unit"),
        ({"taken_at": NOW + datetime.timedelta(minutes=61)}, "taken_at"),
        ({"taken_at": datetime.datetime(2026, 6, 1, 22, 0)}, "taken_at"),  # naive
        ({"taken_at": datetime.datetime(1, 1, 1, 22, 0, tzinfo=UTC)}, "taken_at"),  # typo
    ],
)
def test_bad_doses_raise_validation_errors(ny_user, kwargs, field):
    values = {"taken_at": NOW, "form": "glycinate", "amount_mg": 200, "unit": "elemental"}
    values.update(kwargs)
    with pytest.raises(ValidationError) as error:
        services.dose_record(user=ny_user, now=NOW, **values)
    assert field in error.value.message_dict
    assert Dose.objects.count() == 0


def test_a_dose_up_to_an_hour_ahead_is_accepted(ny_user):
    soon = NOW + datetime.timedelta(minutes=59)
    services.dose_record(
        user=ny_user, taken_at=soon, form="glycinate", amount_mg=100, unit="elemental", now=NOW
    )


def test_compound_above_the_limit_in_elemental_terms_is_fine(ny_user):
    # 5000 mg of chloride hexahydrate is ~598 mg elemental: under the typo limit.
    dose = services.dose_record(
        user=ny_user, taken_at=NOW, form="chloride", amount_mg=5000, unit="compound", now=NOW
    )
    assert dose.elemental_mg == Decimal("597.8")  # 5000 × 0.119552 = 597.76


def test_a_dose_after_midnight_belongs_to_the_evening_before(ny_user):
    half_past_midnight = datetime.datetime(2026, 6, 2, 0, 30, tzinfo=NY)
    dose = services.dose_record(
        user=ny_user,
        taken_at=half_past_midnight,
        form="glycinate",
        amount_mg=100,
        unit="elemental",
        now=half_past_midnight,
    )
    assert dose.evening == datetime.date(2026, 6, 1)
    june_1, june_2 = datetime.date(2026, 6, 1), datetime.date(2026, 6, 2)
    asked = {(ny_user.pk, june_1), (ny_user.pk, june_2)}
    assert selectors.evenings_taken(pairs=asked) == {(ny_user.pk, june_1)}


def test_evenings_taken_batches_pairs_in_two_queries(user, other_user, django_assert_num_queries):
    june_1, june_2 = datetime.date(2026, 5, 30), datetime.date(2026, 5, 31)
    for who, evening in ((user, june_1), (other_user, june_2)):
        services.dose_record(
            user=who,
            taken_at=datetime.datetime.combine(evening, datetime.time(21), tzinfo=NY),
            form="glycinate",
            amount_mg=100,
            unit="elemental",
            now=NOW,
        )
    pairs = {(user.pk, june_1), (user.pk, june_2), (other_user.pk, june_1), (other_user.pk, june_2)}
    with django_assert_num_queries(2):  # doses, and blinded capsules
        found = selectors.evenings_taken(pairs=pairs)
    # a dose on the other user's evening does not count for this user, and vice versa
    assert found == {(user.pk, june_1), (other_user.pk, june_2)}
    with django_assert_num_queries(0):
        assert selectors.evenings_taken(pairs=set()) == set()


def test_saved_product_is_one_per_user_and_replaced(user):
    services.saved_product_set(user=user, form="glycinate", amount_mg=200, unit="elemental")
    product = services.saved_product_set(user=user, form="citrate", amount_mg=1000, unit="compound")
    assert selectors.saved_product_get(user=user) == product
    assert product.form == "citrate"
    assert type(product).objects.filter(user=user).count() == 1


def test_saved_product_is_validated(user):
    with pytest.raises(ValidationError):
        services.saved_product_set(user=user, form="glycinate", amount_mg=5000, unit="elemental")
    with pytest.raises(ValidationError):
        services.saved_product_set(user=user, form="other", amount_mg=500, unit="compound")
    assert selectors.saved_product_get(user=user) is None


def test_one_tap_logs_the_saved_product(ny_user):
    services.saved_product_set(user=ny_user, form="glycinate", amount_mg=1000, unit="compound")
    dose = services.dose_record_saved_product(user=ny_user, now=NOW)
    assert dose.elemental_mg == Decimal("141.0")
    assert selectors.last_dose_get(user=ny_user) == dose


def test_one_tap_without_a_product_explains(user):
    with pytest.raises(ValidationError):
        services.dose_record_saved_product(user=user, now=NOW)


def test_last_dose_is_the_latest_taken(user, other_user):
    assert selectors.last_dose_get(user=user) is None
    earlier = NOW - datetime.timedelta(days=1)
    services.dose_record(
        user=user, taken_at=NOW, form="oxide", amount_mg=100, unit="elemental", now=NOW
    )
    services.dose_record(
        user=user, taken_at=earlier, form="oxide", amount_mg=100, unit="elemental", now=NOW
    )
    services.dose_record(
        user=other_user,
        taken_at=NOW + datetime.timedelta(minutes=5),
        form="oxide",
        amount_mg=100,
        unit="elemental",
        now=NOW,
    )
    assert selectors.last_dose_get(user=user).taken_at == NOW


def test_evening_skip_is_idempotent(user):
    evening = datetime.date(2026, 6, 1)
    first = services.evening_skip_record(user=user, evening=evening)
    again = services.evening_skip_record(user=user, evening=evening)
    assert first.pk == again.pk
    assert EveningSkip.objects.filter(user=user).count() == 1


def test_evening_skip_refuses_a_datetime(user):
    with pytest.raises(ValidationError):
        services.evening_skip_record(user=user, evening=NOW)


def test_database_refuses_out_of_range_values(user):
    with pytest.raises(IntegrityError), transaction.atomic():
        NightLog.objects.create(
            user=user, evening=datetime.date(2026, 6, 1), severity=11, sleep_quality=3
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        NightLog.objects.create(
            user=user, evening=datetime.date(2026, 6, 1), severity=3, sleep_quality=0
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Dose.objects.create(
            user=user,
            taken_at=NOW,
            evening=datetime.date(2026, 6, 1),
            form="glycinate",
            elemental_mg=Decimal("1000.1"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Dose.objects.create(
            user=user,
            taken_at=NOW,
            evening=datetime.date(2026, 6, 1),
            form="glycinate",
            elemental_mg=0,
        )


def test_every_number_has_a_source():
    rows = reference.sources()
    assert len(rows) >= 10
    assert all(source for _what, _value, source in rows)
    assert reference.SUPPLEMENT_UL_MG.value == 350
    assert reference.FERRITIN_THRESHOLD_NG_ML.value == 75
    assert reference.TSAT_THRESHOLD_PERCENT.value == 20


def test_reference_texts_are_marked_for_translation_and_numbers_stay_numbers():
    from decimal import Decimal

    from django.utils import translation
    from django.utils.functional import Promise

    sourced = [v for v in vars(reference).values() if isinstance(v, reference.Sourced)]
    assert len(sourced) >= 7
    for item in sourced:
        assert isinstance(item.source, Promise)  # translated when shown, in the user's language
        assert isinstance(item.value, int | Decimal)
    for text in (
        reference.MOLAR_MASS_SOURCE,
        reference.AASM_SOURCE,
        reference.LABEL_FIRST_SOURCE,
        reference.IRON_THRESHOLDS_CAVEAT,
        reference.IRON_SAMPLING_ADVICE,
        *reference.COMPOUND_CAVEATS.values(),
        *(name for name, _mass in reference.COMPOUND_MOLAR_MASS.values()),
    ):
        assert isinstance(text, Promise)
    with translation.override("en"):
        assert "350 mg/day" in str(reference.SUPPLEMENT_UL_MG.source)


def test_list_selectors_return_only_the_users_rows_in_page_order(user, other_user):
    for who in (user, other_user):
        for day in (1, 3, 2):
            services.night_log(
                user=who,
                evening=datetime.date(2026, 5, day),
                severity=1,
                sleep_quality=3,
                now=NOW,
            )
            services.dose_record(
                user=who,
                taken_at=datetime.datetime(2026, 5, day, 21, tzinfo=NY),
                form="glycinate",
                amount_mg=100,
                unit="elemental",
                now=NOW,
            )
            services.lab_record(user=who, taken_on=datetime.date(2026, 1, day), ferritin_ng_ml=50)
        services.medicine_add(user=who, kind="iron")
        services.trial_set(
            user=who,
            baseline_start=datetime.date(2026, 4, 1),
            baseline_end=datetime.date(2026, 4, 14),
            magnesium_start=datetime.date(2026, 4, 15),
        )
    nights = selectors.night_list(user=user)
    assert [n.evening.day for n in nights] == [3, 2, 1]
    assert {n.user_id for n in nights} == {user.pk}
    doses = selectors.dose_list(user=user)
    assert [d.evening.day for d in doses] == [3, 2, 1]
    assert {d.user_id for d in doses} == {user.pk}
    labs = selectors.lab_result_list(user=user)
    assert [lab.taken_on.day for lab in labs] == [1, 2, 3]
    assert {lab.user_id for lab in labs} == {user.pk}
    until = selectors.lab_result_list(user=user, until=datetime.date(2026, 1, 2))
    assert [lab.taken_on.day for lab in until] == [1, 2]
    assert [m.user_id for m in selectors.medicine_list(user=user)] == [user.pk]
    assert selectors.trial_get(user=user).user_id == user.pk
    may_2 = datetime.date(2026, 5, 2)
    assert selectors.night_for_evening_get(user=user, evening=may_2).user_id == user.pk
    assert selectors.evening_has_night(user=user, evening=may_2)
    assert not selectors.evening_has_night(user=user, evening=datetime.date(2026, 5, 4))
    assert selectors.night_for_evening_get(user=user, evening=datetime.date(2026, 5, 4)) is None
    may_2_id = selectors.night_for_evening_get(user=user, evening=may_2).pk
    assert selectors.night_id_for_evening(user=user, evening=may_2) == may_2_id
    assert selectors.night_id_for_evening(user=user, evening=datetime.date(2026, 5, 4)) is None
