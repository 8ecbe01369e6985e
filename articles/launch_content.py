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
    "clinical practice guideline. J Clin Sleep Med. 2025;21(1):137-152 (published online "
    "2024). Iron thresholds: expert consensus, not empirically tested.",
    "url": "https://doi.org/10.5664/jcsm.11390",
    "doi": "10.5664/jcsm.11390",
}
IRLSSG_IRON_2018 = {
    "title": "Allen RP, Picchietti DL, Auerbach M, et al. Evidence-based and consensus "
    "clinical practice guidelines for the iron treatment of restless legs syndrome/Willis-"
    "Ekbom disease in adults and children: an IRLSSG task force report. Sleep Med. "
    "2018;41:27-44.",
    "url": "https://doi.org/10.1016/j.sleep.2017.11.1126",
    "doi": "10.1016/j.sleep.2017.11.1126",
}
MAGNASPARTATE_SMPC = {
    "title": "Magnaspartate 243 mg powder for oral solution (magnesium aspartate dihydrate; "
    "Kora Healthcare): Summary of Product Characteristics, section 4.5 Interaction with "
    "other medicinal products (iron and bisphosphonates: 3 to 4 hours before or after; "
    "tetracycline: 2 to 3 hours or more). electronic medicines compendium (emc), UK.",
    "url": "https://www.medicines.org.uk/emc/search?q=magnaspartate",
}
LEVOTHYROXINE_LABEL = {
    "title": "Synthroid (levothyroxine sodium) prescribing information, sections 2.1 and 7.1 "
    "(at least 4 hours apart from drugs that interfere with absorption, including antacids "
    "with magnesium hydroxide). DailyMed, US National Library of Medicine.",
    "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=synthroid",
}
CIPROFLOXACIN_LABEL = {
    "title": "Cipro (ciprofloxacin) prescribing information, Dosage and Administration (at "
    "least 2 hours before or 6 hours after magnesium- or aluminium-containing antacids). "
    "DailyMed, US National Library of Medicine.",
    "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=cipro",
}
MARSHALL_2019 = {
    "title": "Marshall NS, Serinel Y, Killick R, et al. Magnesium supplementation for the "
    "treatment of restless legs syndrome and periodic limb movement disorder: a systematic "
    "review. Sleep Med Rev. 2019;48:101218.",
    "url": "https://doi.org/10.1016/j.smrv.2019.101218",
    "doi": "10.1016/j.smrv.2019.101218",
}
# Verified against the publisher's page (BMC Complementary Medicine and Therapies): authors,
# title, single-blind design, 75 patients in three arms, 250 mg magnesium oxide, 2 months.
# Volume and article number not confirmed (indexed as 2022 online, issue 1/2023): left out.
JADIDI_2022 = {
    "title": "Jadidi A, Rezaei Ashtiani A, Khanmohamadi Hezaveh A, Aghaepour SM. Therapeutic "
    "effects of magnesium and vitamin B6 in alleviating the symptoms of restless legs "
    "syndrome: a randomized controlled clinical trial. BMC Complement Med Ther. 2022 "
    "(published online; single-blind, n = 75 in three arms).",
    "url": "https://doi.org/10.1186/s12906-022-03814-8",
    "doi": "10.1186/s12906-022-03814-8",
}
# Verified from its PubMed record (PMID 38738598) and an index of J Clin Sleep Med
# 2024;20(8):1357-1361: authors, title, open-label, 12 adults, 200 mg citrate, 8 weeks;
# registered as NCT04462796. Its DOI was not found, so none is given.
GORANTLA_2024 = {
    "title": "Gorantla S, Ravisankar A, Trotti LM. Magnesium citrate monotherapy improves "
    "restless legs syndrome symptoms and multiple suggested immobilization test scores in "
    "an open-label pilot study. J Clin Sleep Med. 2024;20(8):1357-1361 (open-label, no "
    "control group, n = 12).",
    "url": "https://pubmed.ncbi.nlm.nih.gov/38738598/",
    "pubmed_id": "38738598",
}
# Verified (Cochrane Library page and an abstract listing): doi and citation as below.
GARRISON_2020 = {
    "title": "Garrison SR, Korownyk CS, Kolber MR, et al. Magnesium for skeletal muscle "
    "cramps. Cochrane Database Syst Rev. 2020;9:CD009402.",
    "url": "https://doi.org/10.1002/14651858.CD009402.pub3",
    "doi": "10.1002/14651858.CD009402.pub3",
}
GABAPENTIN_LABEL = {
    "title": "Neurontin (gabapentin) prescribing information, section 7: Drug Interactions "
    "(antacids containing aluminium and magnesium hydroxide). DailyMed, US National Library "
    "of Medicine.",
    "url": "https://dailymed.nlm.nih.gov/dailymed/search.cfm?labeltype=all&query=neurontin",
}
FERROUS_SULPHATE_SMPC = {
    "title": "Ferrous Sulphate Tablets BP 200 mg (Sandoz Ltd): Summary of Product "
    "Characteristics, section 4.5 Interaction with other medicinal products. electronic "
    "medicines compendium (emc), UK.",
    "url": "https://www.medicines.org.uk/emc/search?q=ferrous+sulphate",
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
GUYATT_1986 = {
    "title": "Guyatt G, Sackett D, Taylor DW, et al. Determining optimal therapy: randomized "
    "trials in individual patients. N Engl J Med. 1986;314(14):889-892.",
    "url": "https://doi.org/10.1056/NEJM198604033141406",
    "doi": "10.1056/NEJM198604033141406",
}
GUYATT_1990 = {
    "title": "Guyatt GH, Keller JL, Jaeschke R, et al. The n-of-1 randomized controlled trial: "
    "clinical usefulness. Our three-year experience. Ann Intern Med. 1990;112(4):293-299.",
    "url": "https://doi.org/10.7326/0003-4819-112-4-293",
    "doi": "10.7326/0003-4819-112-4-293",
}
AHRQ_NOF1_GUIDE = {
    "title": "Kravitz RL, Duan N, eds. Design and Implementation of N-of-1 Trials: A User's "
    "Guide. AHRQ Publication No. 13(14)-EHC122-EF. Rockville, MD: Agency for Healthcare "
    "Research and Quality; 2014.",
    "url": "https://effectivehealthcare.ahrq.gov/products/n-1-trials/research-2014-1",
}
CENT_2015 = {
    "title": "Vohra S, Shamseer L, Sampson M, et al. CONSORT extension for reporting N-of-1 "
    "trials (CENT) 2015 Statement. BMJ. 2015;350:h1738.",
    "url": "https://doi.org/10.1136/bmj.h1738",
    "doi": "10.1136/bmj.h1738",
}
PREEMPT_2018 = {
    "title": "Kravitz RL, Schmid CH, Marois M, et al. Effect of Mobile Device-Supported "
    "Single-Patient Multi-crossover Trials on Treatment of Chronic Musculoskeletal Pain: A "
    "Randomized Clinical Trial. JAMA Intern Med. 2018;178(10):1368-1377.",
    "url": "https://doi.org/10.1001/jamainternmed.2018.3981",
    "doi": "10.1001/jamainternmed.2018.3981",
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
            "restless legs, and it showed no significant effect. Two newer studies reported "
            "improvement but are weak: a single-blind trial of magnesium oxide (2022, 75 people "
            "in three groups) and an open-label pilot without a comparison group (2024, 12 "
            "people). The 2024 American Academy of Sleep Medicine guideline does not list "
            "magnesium among its recommended treatments. Some people report that it helps; "
            "that is worth testing carefully, not assuming."
        ),
        tags=("Magnesium", "Supplements", "Restless legs"),
        references=(
            NIH_ODS_MAGNESIUM,
            MARSHALL_2019,
            JADIDI_2022,
            GORANTLA_2024,
            AASM_2024,
            GARRISON_2020,
            GABAPENTIN_LABEL,
            FERROUS_SULPHATE_SMPC,
            MAGNASPARTATE_SMPC,
            LEVOTHYROXINE_LABEL,
            CIPROFLOXACIN_LABEL,
        ),
        call_to_action="log_dose",
        # Unsupported claims qualified and the 2022 and 2024 studies added (issue 11, items 6
        # and 7), checked against their sources on this date; reviewed yearly like the others.
        reviewed_on=datetime.date(2026, 12, 3),
        next_review_due=datetime.date(2027, 12, 3),
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
            "are well established. This rating does not cover the iron treatment thresholds "
            "in this article: they are expert consensus, not empirically tested (AASM 2024)."
        ),
        tags=("Restless legs", "Iron", "Sleep"),
        references=(NINDS_RLS, IRLSSG_CRITERIA, AASM_2024, IRLSSG_IRON_2018),
        call_to_action="set_reminder",
    ),
    LaunchArticle(
        key="fair-personal-experiment",
        title="Running a fair personal experiment",
        slug="running-a-fair-personal-experiment",
        summary=(
            "How Restwell's personal magnesium trial works: a plan locked in advance, pairs of "
            "periods in a random order, optional blinding with look-alike capsules, a verdict "
            "from pairs rather than nights — and what a trial of one cannot show."
        ),
        evidence_strength="moderate",
        evidence_note=(
            "Randomised single-person (n-of-1) trials are an established method with their "
            "own reporting guideline (CENT 2015). A randomised study found app-supported "
            "personal trials feasible, though on average they did not reduce pain more than "
            "usual care. Placebo responses and regression to the mean are well "
            "documented, including in restless legs studies. A personal trial speaks only "
            "about you, in your log; it cannot prove safety and is not a diagnosis."
        ),
        tags=("Tracking", "Supplements", "Magnesium"),
        references=(
            GUYATT_1986,
            GUYATT_1990,
            AHRQ_NOF1_GUIDE,
            CENT_2015,
            PREEMPT_2018,
            LILLIE_2011,
            FULDA_2008,
            BARNETT_2005,
        ),
        call_to_action="open_log",
        # Rewritten for the randomised trial and checked against its sources a week after
        # the other launch articles; reviewed yearly like them.
        reviewed_on=datetime.date(2026, 12, 2),
        next_review_due=datetime.date(2027, 12, 2),
    ),
)
