"""Each RT's story on the demo: its residents, what was done there since its baseline, and the
kelurahan's figures, counted here again straight from the records; read in a fixed number of
queries whatever the number of RTs."""

from django.urls import reverse

from families.models import Aid, FollowUp
from participants.models import RT, Kelurahan, Membership, Participant
from slums import selectors
from slums.models import SLUM_CLASSES, Guideline, Survey, Work

HADIMULYO_BARAT = "1872011004"


def _residents(rt):
    return [
        p
        for p in Participant.objects.filter(kelurahan=rt.rw.kelurahan)
        if int(p.rw) == int(rt.rw.code) and int(p.rt) == int(rt.code)
    ]


def test_each_rts_story_counts_what_the_records_hold(demo):
    place = Kelurahan.objects.get(code=HADIMULYO_BARAT)
    summary = selectors.place_summary(place)
    assert len(summary.rows) == RT.objects.filter(rw__kelurahan=place).count()
    checked = 0
    for row in summary.rows:
        people = _residents(row.rt)
        assert row.residents == len(people)
        since = row.baseline.surveyed_on
        ids = [p.pk for p in people]
        aid = Aid.objects.filter(participant_id__in=ids, received_on__gte=since).count()
        works = Work.objects.filter(rt=row.rt, completed_on__gte=since).count()
        groups = (
            Membership.objects.filter(participant_id__in=ids).values("group").distinct().count()
        )
        personal = FollowUp.objects.filter(participant_id__in=ids, opened_on__gte=since).count()
        shared = (
            FollowUp.objects.filter(
                participant__isnull=True,
                group__memberships__participant_id__in=ids,
                opened_on__gte=since,
            )
            .distinct()
            .count()
        )
        assert (row.count("aid"), row.count("work"), row.count("group")) == (aid, works, groups)
        assert row.count("follow_up") == personal + shared
        checked += bool(ids) + bool(works)
    assert checked >= 5  # the demo places people and works in several RTs


def test_the_kelurahan_figures_are_the_latest_reviewed_surveys(demo):
    place = Kelurahan.objects.get(code=HADIMULYO_BARAT)
    summary = selectors.place_summary(place, with_interventions=False)
    latest = {}
    for survey in Survey.objects.filter(
        rt__rw__kelurahan=place, status=Survey.Status.REVIEWED
    ).order_by("surveyed_on", "pk"):
        latest[survey.rt_id] = survey
    area = sum(s.area_ha for s in latest.values() if s.slum_class in SLUM_CLASSES)
    assert summary.slum_area_now == area
    assert summary.slum_area_now < summary.slum_area_at_baseline  # the demo's slums shrink
    counted = dict((key, count) for key, _label, count in summary.by_class)
    for key, count in counted.items():
        assert count == sum(1 for s in latest.values() if s.slum_class == key)
    # The re-survey waiting for review does not count yet.
    assert Survey.objects.filter(rt__rw__kelurahan=place, status="submitted").count() == 1
    assert summary.left_slum and summary.worsened


def test_the_pages_show_the_story(demo, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="pekerja"))
    work = next(
        w for w in Work.objects.filter(rt__rw__kelurahan__code=HADIMULYO_BARAT) if _residents(w.rt)
    )
    page = client.get(reverse("slums:place", args=[HADIMULYO_BARAT])).content.decode()
    assert 'id="slum-map"' in page and "slum-features" in page
    assert "Belum ada yang menangani" in page
    story = client.get(reverse("slums:rt", args=[work.rt.pk])).content.decode()
    assert work.what in story and work.delivered_by in story
    for person in _residents(work.rt):
        assert reverse("person", args=[person.pk]) in story
        page = client.get(reverse("person", args=[person.pk])).content.decode()
        assert reverse("slums:rt", args=[work.rt.pk]) in page  # the person's RT, linked


def test_the_trend_report_is_written_as_xlsx_with_every_rt_and_its_scores(demo, client):
    import io

    from django.contrib.auth import get_user_model
    from openpyxl import load_workbook

    users = get_user_model().objects
    client.force_login(users.get(username="kepala"))
    assert client.post(reverse("slums:report")).status_code == 403  # reads, never exports
    client.force_login(users.get(username="staf"))
    response = client.post(reverse("slums:report"), {"kelurahan": HADIMULYO_BARAT})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["Kelurahan", "RT"])
    body = [row for row in rows[header + 1 :] if row[0]]
    place = Kelurahan.objects.get(code=HADIMULYO_BARAT)
    surveyed = RT.objects.filter(
        rw__kelurahan=place, surveys__status=Survey.Status.REVIEWED
    ).distinct()
    assert len(body) == surveyed.count()
    for row in body:
        rt = next(r for r in surveyed if r.label == row[1])
        reviewed_surveys = rt.surveys.filter(status=Survey.Status.REVIEWED).order_by("surveyed_on")
        assert row[3] == reviewed_surveys.first().score
        if reviewed_surveys.count() > 1:
            assert row[6] == reviewed_surveys.last().score
            assert row[8] == reviewed_surveys.last().score - reviewed_surveys.first().score
    version = Guideline.objects.get(in_force=True).version
    assert "Dinilai dengan" in str(rows) and f"(v{version})" in str(rows)
