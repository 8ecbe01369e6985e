"""The launch articles loaded by `manage.py seed_content`: metadata here, bodies in content/.

Facts come from the references listed with each article. The texts are our own words.
Review dates: checked against the cited sources by the editorial team on the date given; a
clinician's review replaces that when one is recorded in the admin.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

CONTENT_DIR = Path(__file__).resolve().parent / "content"
REVIEWED_ON = datetime.date(2026, 11, 25)
NEXT_REVIEW_DUE = datetime.date(2027, 11, 25)  # yearly, or sooner when a guideline changes
REVIEWER = "Restwell editorial team (checked against the cited sources)"

NIH_ODS_MAGNESIUM = {
    "title": "NIH Office of Dietary Supplements. Magnesium: Fact Sheet for Health Professionals.",
    "url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
}
AASM_2024 = {
    "title": "Winkelman JW, Berkowski JA, DelRosso LM, et al. Treatment of restless legs "
    "syndrome and periodic limb movement disorder: an American Academy of Sleep Medicine "
    "clinical practice guideline. J Clin Sleep Med. 2024.",
    "url": "https://doi.org/10.5664/jcsm.11390",
    "doi": "10.5664/jcsm.11390",
}
MARSHALL_2019 = {
    "title": "Marshall NS, Serinel Y, Killick R, et al. Magnesium supplementation for the "
    "treatment of restless legs syndrome and periodic limb movement disorder: a systematic "
    "review. Sleep Med Rev. 2019;48:101218.",
    "url": "https://doi.org/10.1016/j.smrv.2019.101218",
    "doi": "10.1016/j.smrv.2019.101218",
}
GABAPENTIN_LABEL = {
    "title": "Neurontin (gabapentin) prescribing information, section 7: Drug Interactions "
    "(antacids containing aluminium and magnesium hydroxide). DailyMed, US National Library "
    "of Medicine.",
    "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=neurontin",
}
NINDS_RLS = {
    "title": "National Institute of Neurological Disorders and Stroke. Restless Legs Syndrome.",
    "url": "https://www.ninds.nih.gov/health-information/disorders/restless-legs-syndrome",
}
IRLSSG_CRITERIA = {
    "title": "Allen RP, Picchietti DL, Garcia-Borreguero D, et al. Restless legs "
    "syndrome/Willis-Ekbom disease diagnostic criteria: updated International Restless Legs "
    "Syndrome Study Group (IRLSSG) consensus criteria. Sleep Med. 2014;15(8):860-873.",
    "url": "https://doi.org/10.1016/j.sleep.2014.03.025",
    "doi": "10.1016/j.sleep.2014.03.025",
}
FULDA_2008 = {
    "title": "Fulda S, Wetter TC. Where dopamine meets opioids: a meta-analysis of the "
    "placebo effect in restless legs syndrome treatment studies. Brain. 2008;131:902-917.",
    "url": "https://doi.org/10.1093/brain/awm244",
    "doi": "10.1093/brain/awm244",
}
BARNETT_2005 = {
    "title": "Barnett AG, van der Pols JC, Dobson AJ. Regression to the mean: what it is and "
    "how to deal with it. Int J Epidemiol. 2005;34(1):215-220.",
    "url": "https://doi.org/10.1093/ije/dyh299",
    "doi": "10.1093/ije/dyh299",
}
LILLIE_2011 = {
    "title": "Lillie EO, Patay B, Diamant J, et al. The n-of-1 clinical trial: the ultimate "
    "strategy for individualizing medicine? Per Med. 2011;8(2):161-173.",
    "url": "https://doi.org/10.2217/pme.11.7",
    "doi": "10.2217/pme.11.7",
}


@dataclass(frozen=True)
class LaunchArticle:
    key: str
    title: str
    slug: str
    summary: str
    evidence_strength: str
    evidence_note: str
    tags: tuple[str, ...]
    references: tuple[dict, ...]
    call_to_action: str = ""
    reviewed_on: datetime.date = REVIEWED_ON
    reviewer_name: str = REVIEWER
    next_review_due: datetime.date = NEXT_REVIEW_DUE

    @property
    def body(self) -> str:
        return (CONTENT_DIR / f"{self.slug}.md").read_text(encoding="utf-8")


LAUNCH_ARTICLES = (
    LaunchArticle(
        key="magnesium-glycinate-rls",
        title="Magnesium glycinate and restless legs",
        slug="magnesium-glycinate-and-restless-legs",
        summary=(
            "What magnesium glycinate is, how it might ease restless legs, how much people "
            "take and when — and what the research does and does not show."
        ),
        evidence_strength="limited",
        evidence_note=(
            "A 2019 systematic review found only one small randomised trial of magnesium for "
            "restless legs, and it showed no significant effect. The 2024 American Academy of "
            "Sleep Medicine guideline does not list magnesium among its recommended "
            "treatments. Some people report that it helps; that is worth testing carefully, "
            "not assuming."
        ),
        tags=("Magnesium", "Supplements", "Restless legs"),
        references=(NIH_ODS_MAGNESIUM, MARSHALL_2019, AASM_2024, GABAPENTIN_LABEL),
        call_to_action="log_dose",
    ),
    LaunchArticle(
        key="understanding-rls",
        title="Understanding restless legs",
        slug="understanding-restless-legs",
        summary=(
            "What restless legs syndrome feels like, why evenings are worst, what causes and "
            "aggravates it, and why to ask your doctor about your iron."
        ),
        evidence_strength="strong",
        evidence_note=(
            "The features of restless legs, its evening pattern and its link with low iron "
            "are well established. The 2024 American Academy of Sleep Medicine guideline "
            "suggests iron treatment when ferritin is 75 ng/mL or lower or transferrin "
            "saturation is below 20%."
        ),
        tags=("Restless legs", "Iron", "Sleep"),
        references=(NINDS_RLS, IRLSSG_CRITERIA, AASM_2024),
        call_to_action="set_reminder",
    ),
    LaunchArticle(
        key="fair-personal-experiment",
        title="Running a fair personal experiment",
        slug="running-a-fair-personal-experiment",
        summary=(
            "How to test a change such as magnesium on yourself fairly: a baseline week, one "
            "change at a time, steady timing, prompt logging — and why one person's data can "
            "mislead."
        ),
        evidence_strength="moderate",
        evidence_note=(
            "Single-person (n-of-1) trials are an established method, and placebo responses "
            "and regression to the mean are well documented, including in restless legs "
            "studies. A personal log still cannot prove cause and effect on its own."
        ),
        tags=("Tracking", "Supplements", "Magnesium"),
        references=(LILLIE_2011, FULDA_2008, BARNETT_2005),
        call_to_action="open_log",
    ),
)
