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


# What a compound conversion cannot know. The factors above are for the pure compound as
# named; what is sold often differs, so the label's own elemental figure comes first and a
# conversion from compound milligrams is an estimate.
CITRATE_NONAHYDRATE_MOLAR_MASS = Decimal("204.42")  # per Mg: Mg3(C6H5O7)2·9H2O, 613.25 / 3
LABEL_FIRST_SOURCE = _(
    "Supplement labels state the amount of elemental magnesium per serving (NIH ODS "
    "Magnesium Fact Sheet for Health Professionals, 'Supplements': the Supplement Facts "
    "panel declares the amount of elemental magnesium). Hydrate: magnesium citrate is often "
    "sold as trimagnesium dicitrate nonahydrate, Mg3(C6H5O7)2·9H2O, 613.25 g/mol, so 11.9% "
    "magnesium instead of 16.2% for the anhydrous salt (PubChem compound records; "
    "24.305 × 3 / molar mass). Buffered: 'buffered' glycinate is bisglycinate blended with "
    "magnesium oxide (60.3% magnesium, against 14.1% for pure bisglycinate), so it holds "
    "more magnesium per gram than the glycinate factor says."
)
COMPOUND_CAVEATS: dict[str, Promise] = {
    "citrate": _(
        "Citrate is often sold as a hydrate (with water in the crystal): then 1,000 mg holds "
        "about 119 mg of magnesium, not 162 mg. The conversion may overstate your dose."
    ),
    "glycinate": _(
        "“Buffered” glycinate is mixed with magnesium oxide, which holds more magnesium per "
        "gram: the conversion may understate your dose."
    ),
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

# --- Sleep import (tracker/sleep_import.py) ---------------------------------------------
SLEEP_SESSION_GAP_HOURS = Sourced(
    3,
    _(
        "Restwell's rule for reading a sleep tracker's records (a product rule, not a number "
        "from a source): records less than 3 hours apart belong to one sleep; a longer gap "
        "with nothing recorded starts another (a nap, or a second sleep), and of the sleeps "
        "that fall on one night the longest is that night's."
    ),
)
SLEEP_IMPORT_KEEP_DAYS = 7  # product rule: unconfirmed suggestions are deleted after a week
SLEEP_IMPORT_MAX_NIGHTS = 366  # product rule: the most recent year of nights is suggested
# Upload caps (resources, not health): an export.zip of several years is a few hundred MB
# compressed; the export.xml inside is read as a stream, so only its size in time matters.
SLEEP_IMPORT_UPLOAD_MAX_MB = 300
SLEEP_IMPORT_JSON_MAX_MB = 25  # a JSON file is read whole
SLEEP_IMPORT_XML_MAX_MB = 2000  # the export.xml inside the zip, uncompressed
SLEEP_IMPORT_READ_SECONDS = 20  # under gunicorn's 30 s timeout: a clear message, not a 502
SLEEP_IMPORT_ZIP_MAX_RATIO = 100  # a real export.xml compresses 10-25x; a zip bomb, thousands
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
# A magnesium medicine's UK SmPC gives the interval for iron and bisphosphonates: "magnesium
# preparations should be taken 3 to 4 hours before or after"; Restwell uses the lower end as
# its minimum, never less.
MAGNASPARTATE_SMPC = _(
    "UK Summary of Product Characteristics, Magnaspartate 243 mg powder for oral solution "
    "(magnesium aspartate dihydrate; Kora Healthcare), section 4.5 Interaction with other "
    "medicinal products: for iron, bisphosphonates and some other medicines, magnesium "
    "preparations should be taken 3 to 4 hours before or after them; fluorides and "
    "tetracycline doses must be separated by 2 to 3 hours or more."
)
IRON_SPACING_HOURS = Sourced(
    3,
    _(
        "UK Summary of Product Characteristics, Magnaspartate 243 mg powder for oral solution "
        "(magnesium aspartate), section 4.5: magnesium preparations should be taken 3 to 4 "
        "hours before or after iron. Ferrous Sulphate Tablets BP 200 mg SmPC (Sandoz, "
        "UK), section 4.5: the absorption of ferrous sulphate is reduced by magnesium "
        "trisilicate. Restwell notes a dose within 3 hours of your iron, the minimum of that "
        "range; 4 hours is safer still."
    ),
)
LEVOTHYROXINE_SPACING_HOURS = Sourced(
    4,
    _(
        "Levothyroxine (Synthroid) US prescribing information, section 2.1 and section 7.1 "
        "Drugs that may decrease T4 absorption (antacids containing aluminium and magnesium "
        "hydroxides): take levothyroxine at least 4 hours before or after drugs known to "
        "interfere with its absorption."
    ),
)
BISPHOSPHONATE_SPACING_HOURS = Sourced(
    3,
    _(
        "Magnaspartate 243 mg SmPC (UK), section 4.5: magnesium preparations should be taken "
        "3 to 4 hours before or after bisphosphonates. Alendronate (Fosamax) US prescribing "
        "information: calcium supplements, antacids and other oral medicines with "
        "multivalent cations interfere with its absorption; wait at least 30 minutes after "
        "alendronate before any of them. Restwell notes a dose within 3 hours either side."
    ),
)
# Asymmetric: the antibiotic goes at least 2 h before magnesium, or at least 6 h after it.
ANTIBIOTIC_BEFORE_HOURS = Sourced(
    2,
    _(
        "Ciprofloxacin (Cipro) US prescribing information, Dosage and Administration: take "
        "ciprofloxacin at least 2 hours before or 6 hours after magnesium- or "
        "aluminium-containing antacids and other products containing calcium, iron or zinc. "
        "NIH ODS Magnesium Fact Sheet for Health Professionals, 'Interactions with "
        "Medications': take tetracyclines and quinolones at least 2 hours before or 4-6 hours "
        "after a magnesium-containing supplement. Restwell uses the label's longer 6 hours."
    ),
)
ANTIBIOTIC_AFTER_HOURS = Sourced(6, ANTIBIOTIC_BEFORE_HOURS.source)
# --- Iron status in RLS -----------------------------------------------------------------
# Bands for one ferritin result (ng/mL = µg/L), from the AASM 2024 guideline's remarks:
#   ≤ 75          iron treatment recommended (oral or IV)
#   > 75 to ≤ 100 IV iron may be considered
#   > 100         above the guideline's treatment thresholds
# TSAT < 20 % recommends iron whatever the ferritin. "75-100" is read as above 75 (75 itself
# is in the first band) up to and including 100.
AASM_SOURCE = _(
    "Winkelman JW et al. Treatment of restless legs syndrome and periodic limb movement "
    "disorder: an American Academy of Sleep Medicine clinical practice guideline. J Clin "
    "Sleep Med 2025;21(1):137-152, doi 10.5664/jcsm.11390: iron treatment is recommended "
    "when serum ferritin is ≤ 75 ng/mL or transferrin saturation is < 20%; IV iron may be "
    "considered when ferritin is 75-100 ng/mL. The thresholds are consensus, not "
    "empirically tested."
)
FERRITIN_THRESHOLD_NG_ML = Sourced(75, AASM_SOURCE)  # at or below: iron recommended
FERRITIN_IV_CONSIDERED_NG_ML = Sourced(100, AASM_SOURCE)  # above 75, at or below: IV iron
TSAT_THRESHOLD_PERCENT = Sourced(20, AASM_SOURCE)  # strictly below: iron recommended
IRON_THRESHOLDS_CAVEAT = _(
    "These thresholds come from expert consensus in the AASM 2024 guideline; they have not "
    "been empirically tested. A result just above one is not proof that iron is fine."
)
IRON_SAMPLING_ADVICE = _(
    "For a result that can be compared with these thresholds, the AASM 2024 guideline "
    "advises a morning blood sample, with no iron supplements (or iron-containing foods) "
    "for at least 24 hours before."
)
# No source gives a re-test interval as a number; these are Restwell's suggestions.
RETEST_MONTHS_ON_IRON = Sourced(
    3,
    _(
        "A suggestion, not a guideline figure: the AASM 2024 guideline (and the IRLSSG "
        "iron task force, Allen RP et al., Sleep Med 2018;41:27-44) advise checking iron "
        "studies again after treatment; the oral iron trials behind them judged the "
        "response after about 12 weeks, so Restwell suggests a new test 3 months after the "
        "last while you take iron."
    ),
)
RETEST_MONTHS = Sourced(
    12,
    _(
        "A suggestion, not a guideline figure: iron stores can fall again, and the AASM 2024 "
        "guideline asks for iron studies in everyone with clinically significant restless "
        "legs; Restwell suggests a yearly test when you take no iron."
    ),
)
IRON_DOSE_TYPO_LIMIT_MG = Sourced(
    300,
    _(
        "Plausibility limit, not a medical threshold: oral iron doses are usually 40-200 mg "
        "of elemental iron; a ferrous sulfate 325 mg tablet holds 65 mg (NIH ODS Iron Fact "
        "Sheet for Health Professionals: ferrous sulfate is 20% elemental iron). A larger "
        "number is almost always the salt's weight, not the iron in it."
    ),
)

# Codes for the same two tests in the FHIR export (tracker/fhir.py), with the units Restwell
# stores them in, written in UCUM. Checked against LOINC's published names (Regenstrief
# Institute, loinc.org) on REVIEWED_ON; Restwell keeps no reference ranges of its own.
LOINC_SYSTEM = "http://loinc.org"
UCUM_SYSTEM = "http://unitsofmeasure.org"
LOINC_FERRITIN = ("2276-4", "Ferritin [Mass/volume] in Serum or Plasma", "ng/mL")
LOINC_TSAT = ("2502-3", "Iron saturation [Mass Fraction] in Serum or Plasma", "%")

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

# --- Augmentation watch (dopaminergic medicines) ---------------------------------------
# Augmentation: on a dopamine agonist or levodopa, RLS can grow worse over months — symptoms
# start earlier in the day, spread to the arms, come on faster at rest. The Max Planck
# Institute (MPI) criteria, which the IRLSSG task force keeps as the definition, count an
# earlier onset of at least 4 hours on its own, or 2 to 4 hours together with another sign
# such as spread to other body parts. Restwell is not diagnosing: it compares medians of the
# user's own logged onset times and shows a calm "talk to your doctor" note.
AUGMENTATION_SOURCE = _(
    "García-Borreguero D, Silber MH, Winkelman JW, et al. Guidelines for the first-line "
    "treatment of restless legs syndrome/Willis-Ekbom disease, prevention and treatment of "
    "dopaminergic augmentation: a combined task force of the IRLSSG, EURLSF, and the "
    "RLS-Foundation. Sleep Med 2016;21:1-11 (augmentation as defined by the MPI criteria, "
    "García-Borreguero D et al., Sleep Med 2007;8:520-530: symptoms starting at least 4 hours "
    "earlier, or 2 to 4 hours earlier with, among others, spread to other body parts). "
    "Winkelman JW et al., J Clin Sleep Med 2025;21(1):137-152, doi 10.5664/jcsm.11390: the "
    "AASM 2024 guideline suggests against the standard use of pramipexole, ropinirole and "
    "rotigotine and against levodopa because of the risk of augmentation."
)
# MedicineKind codes (tracker/choices.py) that carry the augmentation risk.
AUGMENTATION_MEDICINES = ("pramipexole", "ropinirole", "rotigotine", "levodopa")
# The watch compares the first 2 weeks of the last 8 with the last 2 weeks.
AUGMENTATION_WINDOW_WEEKS = Sourced(
    8,
    _(
        "Restwell's product rule: augmentation develops over weeks to months (IRLSSG 2016), "
        "so the onset times of the last 2 weeks are compared with those of 6 weeks before, "
        "the first 2 weeks of the last 8."
    ),
)
AUGMENTATION_BLOCK_DAYS = 14  # each compared block: 2 weeks of evenings
AUGMENTATION_MIN_ONSETS = Sourced(
    4,
    _(
        "Product rule: a median from fewer than 4 recorded onset times in a 2-week block is "
        "too easily moved by one unusual night, so no comparison is made."
    ),
)
AUGMENTATION_ONSET_SHIFT_HOURS = Sourced(4, AUGMENTATION_SOURCE)  # alone: the MPI B2 shift
AUGMENTATION_ONSET_SHIFT_WITH_SPREAD_HOURS = Sourced(2, AUGMENTATION_SOURCE)  # with spread
AUGMENTATION_SIGN_NIGHTS = Sourced(
    3,
    _(
        "Product rule: symptoms in the arms, or starting earlier in the day than usual, "
        "ticked on 3 or more of the last 14 nights — more than a single odd night. The MPI "
        "criteria (IRLSSG 2016) name spread to other body parts and earlier onset as signs "
        "of augmentation; a clinician decides whether it is."
    ),
)

# --- Side effects -----------------------------------------------------------------------
# The upper level for supplemental magnesium was set on diarrhoea: loose stools are the
# first sign of too much. The note shows when stomach upset or loose stools follow an
# evening with more than this much supplemental magnesium.
GUT_NOTE_DOSE_MG = Sourced(
    350,
    _(
        "NIH Office of Dietary Supplements, Magnesium Fact Sheet for Health Professionals, "
        "'Health Risks from Excessive Magnesium': high intakes from supplements often cause "
        "diarrhoea, sometimes with nausea and abdominal cramping; the 350 mg adult upper "
        "level for supplements (IOM 1997) was set on diarrhoea. Restwell notes stomach upset "
        "or loose stools after an evening with more than that."
    ),
)
GUT_NOTE_LOOKBACK_NIGHTS = 14  # product rule: the dashboard note reads the last 2 weeks

# --- Screens before the first dose ------------------------------------------------------
KIDNEY_SOURCE = _(
    "NIH Office of Dietary Supplements, Magnesium Fact Sheet for Health Professionals, "
    "'Health Risks from Excessive Magnesium': the kidneys remove excess magnesium, and the "
    "risk of magnesium toxicity rises with impaired kidney function or kidney failure."
)
PREGNANCY_SOURCE = _(
    "NIH Office of Dietary Supplements, Magnesium Fact Sheet for Health Professionals: "
    "recommended intakes differ in pregnancy and breastfeeding; the supplement upper level "
    "of 350 mg a day applies to adults. Restless legs are common in pregnancy, and treatment "
    "choices change (Picchietti DL et al., Sleep Med Rev 2015;22:64-77): talk to your "
    "clinician or midwife before starting or changing a supplement."
)
ADULT_AGE_YEARS = Sourced(
    18,
    _(
        "NIH ODS Magnesium Fact Sheet, Table 3: the 350 mg supplement upper level is for "
        "people aged 9 and older, but the recommended intakes and the rest of Restwell's "
        "numbers are for adults; children's needs and limits differ (65 mg a day upper level "
        "at 1-3 years, 110 mg at 4-8). Accounts are for adults (18 or older)."
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
        (_("Levothyroxine spacing"), LEVOTHYROXINE_SPACING_HOURS, _("h")),
        (_("Bisphosphonate spacing"), BISPHOSPHONATE_SPACING_HOURS, _("h")),
        (_("Antibiotic before magnesium (at least)"), ANTIBIOTIC_BEFORE_HOURS, _("h")),
        (_("Antibiotic after magnesium (at least)"), ANTIBIOTIC_AFTER_HOURS, _("h")),
        (_("Ferritin: iron recommended (≤)"), FERRITIN_THRESHOLD_NG_ML, _("ng/mL")),
        (_("Ferritin: IV iron may be considered (≤)"), FERRITIN_IV_CONSIDERED_NG_ML, _("ng/mL")),
        (_("TSAT threshold (<)"), TSAT_THRESHOLD_PERCENT, "%"),
        (_("Re-test iron studies while taking iron"), RETEST_MONTHS_ON_IRON, _("months")),
        (_("Re-test iron studies otherwise"), RETEST_MONTHS, _("months")),
        (_("Iron dose typo limit"), IRON_DOSE_TYPO_LIMIT_MG, _("mg")),
        (_("At least moderate legs score (≥)"), MODERATE_SEVERITY_SCORE, _("of 10")),
        (_("Augmentation: onset earlier by (≥)"), AUGMENTATION_ONSET_SHIFT_HOURS, _("h")),
        (
            _("Augmentation: onset earlier, with spread to the arms, by (≥)"),
            AUGMENTATION_ONSET_SHIFT_WITH_SPREAD_HOURS,
            _("h"),
        ),
        (_("Augmentation: weeks compared"), AUGMENTATION_WINDOW_WEEKS, _("weeks")),
        (_("Augmentation: onset times per 2 weeks (≥)"), AUGMENTATION_MIN_ONSETS, ""),
        (_("Augmentation: nights with a sign in 2 weeks (≥)"), AUGMENTATION_SIGN_NIGHTS, ""),
        (_("Stomach note: evening magnesium above"), GUT_NOTE_DOSE_MG, _("mg")),
        (_("Accounts are for adults aged (≥)"), ADULT_AGE_YEARS, _("years")),
        (
            _("Clinically significant nights per week (≥)"),
            CLINICALLY_SIGNIFICANT_NIGHTS_PER_WEEK,
            "",
        ),
    ):
        rows.append((str(label), f"{item.value} {unit}".strip(), item.source))
    return rows
