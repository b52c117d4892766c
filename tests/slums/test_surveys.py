"""A survey entered on the portal one sub-criterion a screen, submitted and reviewed; what is
refused and that nothing is written then."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from metro_slum.models import Notice
from slums import services
from slums.models import Answer, Photo, SubCriterion, Survey
from tests.cast import png
from tests.slums.conftest import TOTALS, make_rt, reviewed, survey_of

pytestmark = pytest.mark.django_db


def _totals(**changes):
    data = {
        "surveyed_on": "12/08/2025",
        "surveyor": "Tim Pokja",
        "households": "40",
        "buildings": "38",
        "area_ha": "4",
        "road_length_m": "500",
        "drainage_length_m": "400",
        "road_ideal_length_m": "780",
        "drainage_ideal_length_m": "500",
        "notes": "",
    }
    return data | changes


def test_a_worker_enters_a_survey_screen_by_screen_and_the_supervisor_reviews_it(
    cast, rt, worker_client, client
):
    response = worker_client.post(reverse("slums:survey_new", args=[rt.pk]), _totals())
    survey = Survey.objects.get()
    assert survey.is_baseline and survey.status == Survey.Status.DRAFT
    assert response.url == reverse("slums:answer", args=[survey.pk, "1a"])
    codes = list(SubCriterion.objects.order_by("code").values_list("code", flat=True))
    for index, code in enumerate(codes):
        data = {"affected": "20" if code in ("1a", "3a", "5a") else "0", "note": ""}
        if code == "1a":
            data["photos"] = [png("atap.png")]
        response = worker_client.post(reverse("slums:answer", args=[survey.pk, code]), data)
        following = codes[index + 1] if index + 1 < len(codes) else None
        expected = (
            reverse("slums:answer", args=[survey.pk, following])
            if following
            else reverse("slums:survey", args=[survey.pk])
        )
        assert response.url == expected
    assert Answer.objects.filter(survey=survey).count() == 16
    assert Photo.objects.get().sub.code == "1a"
    # 20/38 buildings = 52.6 % → 3; 20/40 households = 50 % → 1, twice: 5, not slum.
    survey.refresh_from_db()
    assert survey.score == 5

    worker_client.post(reverse("slums:survey", args=[survey.pk]), {"step": "submit"})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.SUBMITTED
    # Submitted: no more changes from the phone.
    assert worker_client.get(reverse("slums:answer", args=[survey.pk, "1a"])).status_code == 403

    client.force_login(cast.supervisor)
    page = client.get(reverse("slums:survey", args=[survey.pk])).content.decode()
    assert "Tandai sudah ditinjau" in page
    client.post(reverse("slums:survey", args=[survey.pk]), {"step": "review", "note": ""})
    survey.refresh_from_db()
    assert survey.status == Survey.Status.REVIEWED and survey.reviewed_by == cast.supervisor
    story = client.get(reverse("slums:rt", args=[rt.pk])).content.decode()
    assert 'id="rt-score">5<' in story


def test_the_rt_remembers_its_totals_for_the_next_survey(cast, rt, worker_client):
    worker_client.post(reverse("slums:survey_new", args=[rt.pk]), _totals(households="44"))
    rt.refresh_from_db()
    assert rt.households == 44
    form = worker_client.get(reverse("slums:survey_new", args=[rt.pk])).content.decode()
    assert 'name="households" value="44"' in form


def test_a_count_above_the_rts_total_is_refused_and_nothing_is_saved(cast, rt, worker_client):
    survey = services.survey_begin(
        rt=rt, by=cast.worker, surveyed_on=datetime.date(2025, 8, 12), surveyor="X", totals=TOTALS
    )
    response = worker_client.post(
        reverse("slums:answer", args=[survey.pk, "3a"]), {"affected": "41", "note": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "41 lebih banyak dari 40 keluarga di RT ini" in page
    assert not Answer.objects.exists()
    response = worker_client.post(
        reverse("slums:answer", args=[survey.pk, "3a"]), {"affected": "banyak", "note": ""}
    )
    assert "Tulis angka" in response.content.decode()
    assert not Answer.objects.exists()


def test_a_photo_that_is_not_a_picture_is_refused_with_the_count(cast, rt, worker_client):
    survey = services.survey_begin(
        rt=rt, by=cast.worker, surveyed_on=datetime.date(2025, 8, 12), surveyor="X", totals=TOTALS
    )
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a picture", content_type="image/jpeg")
    response = worker_client.post(
        reverse("slums:answer", args=[survey.pk, "1a"]),
        {"affected": "10", "note": "", "photos": [fake]},
    )
    assert response.status_code == 200
    assert not Answer.objects.exists() and not Photo.objects.exists()


def test_dates_in_the_future_or_before_the_baseline_are_refused(cast, rt):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.survey_begin(
            rt=rt,
            by=cast.worker,
            surveyed_on=today + datetime.timedelta(days=1),
            surveyor="X",
            totals=TOTALS,
        )
    assert "masa depan" in str(refused.value)
    survey_of(rt, cast.worker, {}, on=datetime.date(2025, 8, 12))
    with pytest.raises(ValidationError) as refused:
        services.survey_begin(
            rt=rt, by=cast.worker, surveyed_on=datetime.date(2025, 8, 1), surveyor="X",
            totals=TOTALS,
        )  # fmt: skip
    assert "12/08/2025" in str(refused.value)
    assert Survey.objects.count() == 1


def test_a_survey_is_submitted_only_whole_and_returned_only_with_a_note(cast, rt):
    survey = services.survey_begin(
        rt=rt, by=cast.worker, surveyed_on=datetime.date(2025, 8, 12), surveyor="X", totals=TOTALS
    )
    services.survey_answer(survey=survey, by=cast.worker, sub=SubCriterion.objects.get(code="1a"),
                           affected=5)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.survey_step(survey=survey, by=cast.worker, step="submit")
    assert "1b" in str(refused.value) and "1a" not in str(refused.value).split(":")[-1]
    survey = survey_of(make_rt(rt.rw.kelurahan, rt="009"), cast.worker, {})
    services.survey_step(survey=survey, by=cast.worker, step="submit")
    with pytest.raises(ValidationError):
        services.survey_step(survey=survey, by=cast.supervisor, step="return", note=" ")
    services.survey_step(survey=survey, by=cast.supervisor, step="return", note="Hitung ulang 3a")
    survey.refresh_from_db()
    assert survey.status == Survey.Status.RETURNED and survey.review_note == "Hitung ulang 3a"
    notice = Notice.objects.get(user=cast.worker)
    assert "dikembalikan: Hitung ulang 3a" in notice.text and str(survey.pk) in notice.url


def test_a_double_click_on_review_is_told_it_was_done(cast, rt, client):
    survey = reviewed(survey_of(rt, cast.worker, {}), cast)
    client.force_login(cast.supervisor)
    response = client.post(reverse("slums:survey", args=[survey.pk]), {"step": "review"})
    assert response.status_code == 400
    assert "Sudah ditinjau" in response.content.decode()


def test_a_worker_of_another_kelurahan_cannot_open_or_survey_the_rt(cast, karangrejo, client):
    from tests.factories import UserFactory

    other = make_rt(karangrejo)
    client.force_login(cast.worker)  # Hadimulyo Barat only
    assert client.get(reverse("slums:rt", args=[other.pk])).status_code == 403
    assert client.post(reverse("slums:survey_new", args=[other.pk]), _totals()).status_code == 403
    assert not Survey.objects.exists()
    head = UserFactory(username="kepala-uji", roles=["Kepala Dinas"])
    client.force_login(head)
    assert client.get(reverse("slums:rt", args=[other.pk])).status_code == 200
    assert client.get(reverse("slums:survey_new", args=[other.pk])).status_code == 403
