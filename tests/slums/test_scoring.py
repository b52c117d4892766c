"""The score of an RT, against three RTs scored by hand from the guideline's table, and scored
again when staff change the bands.

The seeded table (Permen PUPR 14/2018, KOTAKU baseline): a share affected of 0–24 % scores 0,
25–50 % scores 1, 51–75 % scores 3, 76–100 % scores 5; a total of 0–15 is not slum, 16–37 light,
38–59 medium, 60–80 heavy. A share is rounded half up to a whole per cent before it is banded.
The totals of every RT below: 40 households, 38 buildings, 4 ha, 500 m of road (780 m ideal),
400 m of drains (500 m ideal). Roads and drains are counted in metres against the ideal length,
fire protection in buildings (the KOTAKU baseline's units).
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from slums import scoring, services
from slums.models import Guideline, SlumClass, SubCriterion, Survey
from tests.slums.conftest import make_rt, survey_of

pytestmark = pytest.mark.django_db


def version_of(label: str) -> int:
    """The bands' version a score names: "… (v3)" → 3."""
    return int(re.search(r"\(v(\d+)\)$", label).group(1))


# RT A, by hand: count / total = share → score.
RT_A = {
    "1a": 30,  # 30/38 buildings = 78.95 % → 5
    "1b": "1.00",  # 1/4 ha = 25 % → 1
    "1c": 20,  # 20/38 = 52.63 % → 3
    "2a": 0,  # 0 % → 0
    "2b": 410,  # 410/780 m ideal = 52.56 % → 53 → 3
    "3a": 32,  # 32/40 households = 80 % → 5
    "3b": 10,  # 10/40 = 25 % → 1
    "4a": "3.10",  # 3.1/4 ha = 77.5 % → 5
    "4b": 250,  # 250/500 m ideal = 50 % → 1
    "4c": 375,  # 375/500 m ideal = 75 % → 3 (76 % is the next band)
    "5a": 40,  # 100 % → 5
    "5b": 21,  # 21/40 = 52.5 % → 3
    "6a": 9,  # 9/40 = 22.5 % → 0
    "6b": 36,  # 36/40 = 90 % → 5
    "7a": 38,  # 38/38 buildings = 100 % → 5
    "7b": 29,  # 29/38 buildings = 76.32 % → 76 → 5
}
# 5+1+3+0+3+5+1+5+1+3+5+3+0+5+5+5 = 50 → medium (38–59).
RT_A_SCORE = 5 + 1 + 3 + 0 + 3 + 5 + 1 + 5 + 1 + 3 + 5 + 3 + 0 + 5 + 5 + 5

# RT B: 3a 10/40 = 25 % → 1, 2b 100/780 = 12.82 % → 13 → 0, the rest 0: total 1 → not slum.
RT_B = {"3a": 10, "2b": 100}

# RT C: twelve sub-criteria at 100 % (12 × 5 = 60), 2a, 4c, 6a, 7b at 0: exactly 60, the first
# score of the heavy class.
RT_C = {
    "1a": 38, "1b": "4", "1c": 38, "2b": 780, "3a": 40, "3b": 40, "4a": "4", "4b": 500,
    "5a": 40, "5b": 40, "6b": 40, "7a": 38,
}  # fmt: skip


def test_three_rts_score_as_scored_by_hand(cast, hadimulyo_barat):
    assert RT_A_SCORE == 50
    a = survey_of(make_rt(hadimulyo_barat, rt="001"), cast.worker, RT_A)
    b = survey_of(make_rt(hadimulyo_barat, rt="002"), cast.worker, RT_B)
    c = survey_of(make_rt(hadimulyo_barat, rt="003"), cast.worker, RT_C)
    assert (a.score, a.slum_class) == (50, SlumClass.MEDIUM)
    assert (b.score, b.slum_class) == (1, SlumClass.NONE)
    assert (c.score, c.slum_class) == (60, SlumClass.HEAVY)
    assert a.scored_with == scoring.Rule.in_force().label and "14/PRT/M/2018" in a.scored_with


def test_the_page_shows_each_share_and_score(cast, hadimulyo_barat, worker_client):
    survey = survey_of(make_rt(hadimulyo_barat), cast.worker, RT_A)
    page = worker_client.get(reverse("slums:survey", args=[survey.pk])).content.decode()
    assert 'id="survey-score">50<' in page
    assert "Kumuh sedang" in page
    assert re.search(r">\s*79 %", page)  # 1a: 30 of 38 buildings, 78.95 % to a whole per cent
    assert re.search(r">\s*75 %", page)  # 4c: just under the 76 % band


def test_the_kotaku_worked_examples(cast, hadimulyo_barat):
    """The baseline's worked examples, by hand: roads and drains in metres against the ideal
    length, fire protection in buildings."""
    rt = make_rt(hadimulyo_barat, road_length_m=680, road_ideal_length_m=780,
                 drainage_length_m=86, drainage_ideal_length_m=172, buildings=50)  # fmt: skip
    totals = {name: getattr(rt, name) for name in services.TOTAL_FIELDS}
    survey = survey_of(rt, cast.worker, {"2a": 100, "4b": 86, "4c": 65, "7a": 50}, totals=totals)
    lines = {line.sub.code: line for line in scoring.score(
        survey, {a.sub_id: a for a in survey.answers.all()},
        list(SubCriterion.objects.order_by("code")), scoring.Rule.in_force()).lines}  # fmt: skip
    # 100 m of road missing of 780 m ideal = 12.82 % → 0.
    assert (lines["2a"].total, lines["2a"].percent, lines["2a"].score) == (780, 13, 0)
    # 86 of 172 m of drains missing = 50 % → 1.
    assert (lines["4b"].total, lines["4b"].percent, lines["4b"].score) == (172, 50, 1)
    # 65 m of bad drains of 172 m ideal = 37.8 % → 1 (against the existing 86 m: 75.6 % → 3).
    assert (lines["4c"].total, lines["4c"].percent, lines["4c"].score) == (172, 38, 1)
    # 50 of 50 buildings without fire protection → 5.
    assert (lines["7a"].total, lines["7a"].percent, lines["7a"].score) == (50, 100, 5)


@pytest.mark.parametrize(
    "share, band",
    [("24.5", 1), ("24.49", 0), ("50.4", 1), ("50.5", 3), ("75.5", 5), ("75.6", 5), ("75.4", 3)],
)
def test_a_share_is_banded_as_a_whole_per_cent(db, share, band):
    # The guideline writes whole-number ranges (0–24, 25–50, 51–75, 76–100): 24.5 % is 25 %.
    rule = scoring.Rule.in_force()
    percent = scoring.share(Decimal(share), 100, rule.decimals)
    assert rule.score_of(percent) == band


def test_a_count_in_an_old_unit_is_kept_and_not_scored_until_counted_again(
    cast, hadimulyo_barat, client
):
    survey = survey_of(make_rt(hadimulyo_barat), cast.worker, {"7a": 38, "3a": 40})
    assert survey.score == 10  # 7a 100 % → 5, 3a 100 % → 5
    # Counted in hectares before the method changed its unit to buildings:
    survey.answers.filter(sub__code="7a").update(affected="4.00", counted_as="area_ha")
    services.rescore_all()
    survey.refresh_from_db()
    assert survey.score == 5
    line = next(
        line for line in scoring.score(
            survey, {a.sub_id: a for a in survey.answers.select_related("sub")},
            list(SubCriterion.objects.order_by("code")), scoring.Rule.in_force()).lines
        if line.sub.code == "7a"
    )  # fmt: skip
    assert line.recount and line.affected is None and line.score == 0
    client.force_login(cast.worker)
    page = client.get(reverse("slums:survey", args=[survey.pk])).content.decode()
    assert "dihitung dengan satuan lama: hitung ulang (bangunan)" in page


def test_changed_bands_score_every_survey_again_under_a_new_version(cast, hadimulyo_barat):
    a = survey_of(make_rt(hadimulyo_barat), cast.worker, RT_A)
    guideline = Guideline.objects.get(in_force=True)
    # The 51–75 % band scores 4 instead of 3: RT A's 1c, 2b, 4c and 5b gain one each.
    guideline.share_bands.filter(from_percent=51).update(score=4)
    # And the medium class starts at 55: RT A's 54 becomes light.
    guideline.class_bands.filter(slum_class="medium").update(from_score=55)
    assert services.bands_changed(guideline) == 1
    a.refresh_from_db()
    assert (a.score, a.slum_class) == (54, SlumClass.LIGHT)
    assert version_of(a.scored_with) == guideline.version


def _band_post(guideline, share_starts=None):
    data = {"name": guideline.name, "in_force": "on", "share_decimals": guideline.share_decimals}
    bands = list(guideline.share_bands.order_by("from_percent"))
    classes = list(guideline.class_bands.order_by("from_score"))
    for prefix, rows in (("share_bands", bands), ("class_bands", classes)):
        data |= {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    for index, band in enumerate(bands):
        start = share_starts[index] if share_starts else band.from_percent
        data |= {
            f"share_bands-{index}-id": band.pk,
            f"share_bands-{index}-guideline": guideline.pk,
            f"share_bands-{index}-from_percent": start,
            f"share_bands-{index}-score": 4 if band.score == 3 else band.score,
        }
    for index, band in enumerate(classes):
        data |= {
            f"class_bands-{index}-id": band.pk,
            f"class_bands-{index}-guideline": guideline.pk,
            f"class_bands-{index}-from_score": band.from_score,
            f"class_bands-{index}-slum_class": band.slum_class,
            f"class_bands-{index}-label": band.label,
        }
    return data


def test_staff_change_the_bands_in_admin_and_the_scores_follow(cast, hadimulyo_barat, client):
    a = survey_of(make_rt(hadimulyo_barat), cast.worker, RT_A)
    guideline = Guideline.objects.get(in_force=True)
    client.force_login(cast.staff)
    url = reverse("admin:slums_guideline_change", args=[guideline.pk])

    # Bands that leave the lowest shares without a score are refused; nothing changes.
    refused = client.post(url, _band_post(guideline, share_starts=[5, 25, 51, 76]))
    assert refused.status_code == 200
    assert "harus dimulai dari 0 %" in refused.content.decode()
    a.refresh_from_db()
    first = Guideline.objects.get().version
    assert a.score == 50

    response = client.post(url, _band_post(guideline), follow=True)
    assert f"versi {first + 1}" in response.content.decode()
    a.refresh_from_db()
    assert a.score == 54 and version_of(a.scored_with) == Guideline.objects.get().version


def test_the_report_names_the_version_of_the_bands(cast, hadimulyo_barat, client):
    from tests.slums.conftest import reviewed

    reviewed(survey_of(make_rt(hadimulyo_barat), cast.worker, RT_A), cast)
    client.force_login(cast.supervisor)
    page = client.get(reverse("slums:report")).content.decode()
    version = Guideline.objects.get().version
    assert f"(v{version})" in page and "Permen PUPR No. 14/PRT/M/2018" in page
    assert Survey.objects.get().score == 50


def test_a_sub_criterion_counted_against_another_total_scores_every_survey_again(
    cast, hadimulyo_barat, client
):
    from slums.models import Criterion

    a = survey_of(make_rt(hadimulyo_barat), cast.worker, RT_A)
    criterion = Criterion.objects.get(number=1)
    subs = list(criterion.subs.order_by("code"))
    data = {
        "number": 1,
        "name": criterion.name,
        "subs-TOTAL_FORMS": len(subs),
        "subs-INITIAL_FORMS": len(subs),
        "subs-MIN_NUM_FORMS": 0,
        "subs-MAX_NUM_FORMS": 1000,
    }
    for index, sub in enumerate(subs):
        data |= {
            f"subs-{index}-id": sub.pk,
            f"subs-{index}-criterion": criterion.pk,
            f"subs-{index}-code": sub.code,
            f"subs-{index}-name": sub.name,
            # 1b counted against buildings instead of hectares: its count in hectares is kept,
            # not scored until counted again (0, not 1).
            f"subs-{index}-basis": "buildings" if sub.code == "1b" else sub.basis,
            f"subs-{index}-question": sub.question,
        }
    client.force_login(cast.staff)
    client.post(reverse("admin:slums_criterion_change", args=[criterion.pk]), data)
    a.refresh_from_db()
    assert a.score == 49 and version_of(a.scored_with) == Guideline.objects.get().version
