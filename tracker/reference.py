"""Every medical number the tracker uses, in one place, each with its source and review date.

Nothing else in the code base may hard-code a dose, a limit, a spacing interval or a lab
threshold: import it from here, so a reviewer checks one file.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

REVIEWED_ON = "2026-11-25"


@dataclass(frozen=True)
class Sourced:
    value: Decimal | int  # a number, never translated
    source: Promise  # the citation, marked for translation
    reviewed_on: str = REVIEWED_ON


# --- Elemental magnesium per compound ---------------------------------------------------
# Fraction of the compound's mass that is magnesium = Mg / molar mass of the compound as
# sold. Stoichiometry, not opinion: anyone can check the arithmetic.
MAGNESIUM_MOLAR_MASS = Decimal("24.305")  # g/mol, IUPAC standard atomic weight
MOLAR_MASS_SOURCE = _(
    "Molar masses from PubChem (NIH) compound records; elemental fraction = 24.305 / molar "
    "mass. Labels usually print elemental magnesium (NIH ODS Magnesium Fact Sheet for Health "
    "Professionals, 'Supplements')."
)
# form code -> (compound as sold, molar mass g/mol)
COMPOUND_MOLAR_MASS: dict[str, tuple[Promise, Decimal]] = {
    "glycinate": (_("magnesium bisglycinate, C4H8MgN2O4"), Decimal("172.42")),
    "citrate": (_("trimagnesium dicitrate, Mg3(C6H5O7)2 (per Mg: 1/3)"), Decimal("150.37")),
    "oxide": (_("magnesium oxide, MgO"), Decimal("40.30")),
    "malate": (_("magnesium malate, C4H4MgO5"), Decimal("156.38")),
    "threonate": (_("magnesium L-threonate, C8H14MgO10"), Decimal("294.49")),
    "chloride": (_("magnesium chloride hexahydrate, MgCl2·6H2O"), Decimal("203.30")),
}


def elemental_fraction(form: str) -> Decimal | None:
    """The elemental share of a compound's mass, or None when the form has no known factor."""
    entry = COMPOUND_MOLAR_MASS.get(form)
    if entry is None:
        return None
    return MAGNESIUM_MOLAR_MASS / entry[1]


# --- Limits ---------------------------------------------------------------------------------
SUPPLEMENT_UL_MG = Sourced(
    350,
    _(
        "Tolerable Upper Intake Level for supplemental magnesium, adults: 350 mg/day (Food and "
        "Nutrition Board, IOM 1997), as quoted by the NIH Office of Dietary Supplements, "
        "Magnesium Fact Sheet for Health Professionals."
    ),
)
# The upper level is "per day", but a day is not an evening: an evening dose and the next
# morning's fall on two dates yet reach the gut within hours. So the check is a rolling
# window, not a calendar day or an evening. It is 20 hours rather than 24 so that one dose a
# day taken a little earlier than the day before (21:15 after 22:05: 23 h apart) is not read
# as two doses in a day; an evening dose plus a dose the next morning still counts together.
UPPER_LEVEL_WINDOW_HOURS = Sourced(
    20,
    _(
        "Restwell's reading of the upper level's 'per day' (a product rule, not a number from a "
        "source): supplemental magnesium logged within any 20 hours counts as one day's, so a "
        "once-a-day dose taken up to 4 hours earlier than the day before still counts as one "
        "dose a day."
    ),
)
SINGLE_DOSE_TYPO_LIMIT_MG = Sourced(
    1000,
    _(
        "Plausibility limit, not a medical threshold: about three times the supplement upper "
        "level; a single entry above it is almost always a typo (e.g. compound mg entered as "
        "elemental, or an extra zero)."
    ),
)
DOSE_FUTURE_TOLERANCE_MINUTES = 60  # product rule: a dose logged a little ahead is fine
EARLIEST_YEAR = 1950  # product rule: earlier dates are typos

# --- Spacing from other medicines -------------------------------------------------------
GABAPENTIN_SPACING_HOURS = Sourced(
    2,
    _(
        "Gabapentin (Neurontin) US prescribing information, Drug Interactions: an antacid "
        "containing aluminium and magnesium hydroxide (Maalox) reduced gabapentin "
        "bioavailability by about 20%; the label advises taking gabapentin at least 2 hours "
        "after it. Yagi T, Naito T, Mino Y, Umemura K, Kawakami J. Drug Metab Pharmacokinet "
        "2012;27(2):248-254: in 13 healthy adults, 1 g of magnesium oxide taken with "
        "gabapentin lowered gabapentin exposure (AUC) by about 43%. Restwell notes a dose "
        "within 2 hours either side of your usual gabapentin time."
    ),
)
# The SmPC names the interaction but gives no interval; the 3 hours are Restwell's own
# minimum (a product choice), not a number taken from a source.
IRON_SPACING_HOURS = Sourced(
    3,
    _(
        "UK Summary of Product Characteristics, Ferrous Sulphate Tablets BP 200 mg (Sandoz), "
        "section 4.5 Interaction with other medicinal products: the absorption of ferrous "
        "sulphate is reduced by magnesium trisilicate; iron product leaflets list antacids "
        "containing magnesium. Neither gives an interval: 3 hours is Restwell's minimum gap "
        "between magnesium and iron, a product choice; ask your pharmacist about your iron."
    ),
)
GENERAL_SPACING_SOURCE = _(
    "NIH ODS Magnesium Fact Sheet for Health Professionals, 'Interactions with "
    "Medications' (bisphosphonates, tetracycline and quinolone antibiotics, "
    "levothyroxine): spacing depends on the product — ask your pharmacist."
)

# --- Iron status in RLS -----------------------------------------------------------------
AASM_SOURCE = _(
    "Winkelman JW et al. The treatment of restless legs syndrome and periodic limb movement "
    "disorder: an American Academy of Sleep Medicine clinical practice guideline. J Clin "
    "Sleep Med 2025;21(1):137-152 (published 2024): iron supplementation is suggested when "
    "serum ferritin ≤ 75 ng/mL or transferrin saturation < 20%."
)
FERRITIN_THRESHOLD_NG_ML = Sourced(75, AASM_SOURCE)  # at or below
TSAT_THRESHOLD_PERCENT = Sourced(20, AASM_SOURCE)  # strictly below

# --- Symptom frequency ------------------------------------------------------------------
# The REST study asked about distress in words; Restwell's nightly legs score is a number
# from 0 to 10 (anchors: 0 none, 5 "kept me awake a while", 10 worst imaginable). Reading
# "at least moderate distress" as a score of 5 or more is Restwell's product mapping, not a
# cut-off from the REST study. Why 5: it is the anchor that already describes distress
# (symptoms that kept you awake), and on 0-10 symptom ratings graded by how much they
# interfere with activity, mood and sleep, 1-4 read as mild, 5-6 as moderate and 7-10 as
# severe (Serlin RC et al., Pain 1995;61:277-284; later studies differ on where the
# mild/moderate boundary falls, e.g. Paul SM et al., Pain 2005;113:37-44). 4 would count nights just
# short of the "kept me awake" anchor; 1 (the old rule) counted every twinge.
MODERATE_SEVERITY_SCORE = Sourced(
    5,
    _(
        "Restwell's reading of the REST study's 'at least moderate distress' on the 0-10 "
        "legs score: 5 ('kept me awake a while') or more. On 0-10 ratings graded by how "
        "much they disturb activity, mood and sleep, 5-6 is moderate and 7-10 severe "
        "(Serlin RC et al., Pain 1995;61:277-284). A product mapping, not a cut-off from "
        "the REST study itself."
    ),
)
CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK = Sourced(
    2,
    _(
        "REST general-population study (Allen RP et al., Arch Intern Med 2005;165:1286-1292): "
        "symptoms on two or more nights a week with at least moderate distress mark clinically "
        "significant RLS. Restwell counts the nights in your log with at least a moderate legs "
        "score and flags two or more such nights a week."
    ),
)

# --- The personal experiment (tracker/nof1.py; the article explains each choice) -----------
NOF1_GUIDE_SOURCE = _(
    "Kravitz RL, Duan N (eds.). Design and Implementation of N-of-1 Trials: A User's Guide. "
    "AHRQ Publication No. 13(14)-EHC122-EF, 2014: several pairs of treatment and control "
    "periods, randomized order within each pair, a washout where effects may carry over."
)
EXPERIMENT_PAIRS = Sourced(
    4,
    _(
        "Four pairs: the McMaster n-of-1 service ran three or more pairs (Guyatt GH et al., Ann "
        "Intern Med 1990;112:293-299); each pair adds a replicate, and our simulation "
        "(bench/README.md) shows more pairs help more than longer periods."
    ),
)
EXPERIMENT_PERIOD_NIGHTS = Sourced(7, NOF1_GUIDE_SOURCE)  # a week: weekdays balance out
EXPERIMENT_WASHOUT_NIGHTS = Sourced(
    2,
    _(
        "Product rule: the first two nights of each period are left out of the comparison "
        "because magnesium may take a night or two to act and to wear off (carry-over); the "
        "AHRQ n-of-1 user's guide advises an analytic washout where carry-over is possible."
    ),
)
# The smallest change that matters, per outcome (the user may choose another before starting).
SMALLEST_CHANGE_SOURCE = _(
    "A change of about 1 point on a 0-10 rating is the usual minimal important difference "
    "for symptom scales (Farrar JT et al., Pain 2001;94:149-158); half a step on a 5-step "
    "quality rating and 5 percentage points of sleep efficiency are Restwell's equivalents."
)
SMALLEST_CHANGE = {
    "severity": Sourced(Decimal("1.0"), SMALLEST_CHANGE_SOURCE),
    "sleep_quality": Sourced(Decimal("0.5"), SMALLEST_CHANGE_SOURCE),
    "sleep_efficiency": Sourced(Decimal("5.0"), SMALLEST_CHANGE_SOURCE),
}

# The launch articles (articles/launch_content.py) that explain these numbers, by their
# public URL (/articles/<slug>/ is part of the contract).
SAFETY_ARTICLE_PATH = "/articles/magnesium-glycinate-and-restless-legs/"
IRON_ARTICLE_PATH = "/articles/understanding-restless-legs/"
TRIAL_ARTICLE_PATH = "/articles/running-a-fair-personal-experiment/"


def sources() -> list[tuple[str, str, str]]:
    """(what, value, source) rows for the 'where do these numbers come from' page section."""
    rows = [
        (
            f"{form}: {name}",
            _("%(percent)s%% elemental") % {"percent": f"{elemental_fraction(form) * 100:.1f}"},
            MOLAR_MASS_SOURCE,
        )
        for form, (name, _mass) in COMPOUND_MOLAR_MASS.items()
    ]
    for label, item, unit in (
        (_("Supplement upper level"), SUPPLEMENT_UL_MG, _("mg/day")),
        (_("Upper level counted over"), UPPER_LEVEL_WINDOW_HOURS, _("h")),
        (_("Single-dose typo limit"), SINGLE_DOSE_TYPO_LIMIT_MG, _("mg")),
        (_("Gabapentin spacing"), GABAPENTIN_SPACING_HOURS, _("h")),
        (_("Iron spacing"), IRON_SPACING_HOURS, _("h")),
        (_("Ferritin threshold (≤)"), FERRITIN_THRESHOLD_NG_ML, _("ng/mL")),
        (_("TSAT threshold (<)"), TSAT_THRESHOLD_PERCENT, "%"),
        (_("At least moderate legs score (≥)"), MODERATE_SEVERITY_SCORE, _("of 10")),
        (
            _("Clinically significant nights per week (≥)"),
            CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK,
            "",
        ),
    ):
        rows.append((str(label), f"{item.value} {unit}".strip(), item.source))
    return rows
