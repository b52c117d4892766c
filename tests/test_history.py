"""Every change kept: who, when, old and new values, shown on the record's admin history page."""

import html

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from grants import services
from grants.models import Document, DocumentDownload
from participants import services as participant_services
from tests.assessments.helpers import save_assessment
from tests.cast import Cast, draft_grant, ready_group
from tests.factories import ParticipantFactory, as_form_data, participant_fields

pytestmark = pytest.mark.django_db


def test_a_participant_edited_in_the_portal_shows_old_and_new_values_in_admin(
    client, social_worker, admin_staff, supervisor, hadimulyo_barat
):
    person = ParticipantFactory(kelurahan=hadimulyo_barat, phone="0812 0000 0000")
    client.force_login(social_worker)
    data = as_form_data(
        participant_fields(
            hadimulyo_barat,
            nik=person.nik,
            kk_number=person.kk_number,
            birth_date=person.birth_date,
            phone="0812 1111 2222",
            full_name="Slamet Widodo Santoso",
        )
    )
    client.post(reverse("participants:participant_edit", args=[person.pk]), data)

    record = person.history.first()
    # Stored as its digits; the history page shows it in groups again.
    assert (record.history_user, record.phone) == (social_worker, "081211112222")
    client.force_login(admin_staff)
    page = html.unescape(
        client.get(
            reverse("admin:participants_participant_history", args=[person.pk])
        ).content.decode()
    )
    assert "0812 0000 0000" in page and "0812 1111 2222" in page
    assert "Slamet Widodo Santoso" in page
    assert "pekerja" in page
    # Old versions are read, never restored around the services.
    assert (
        client.get(
            reverse("admin:participants_participant_simple_history", args=[person.pk, record.pk])
        ).status_code
        == 403
    )


def test_a_changed_nik_stays_masked_in_the_history_of_a_masked_user(
    client, admin_staff, supervisor, hadimulyo_barat
):
    person = ParticipantFactory(kelurahan=hadimulyo_barat)
    old = person.nik
    person.nik = old[:12] + "0999"
    participant_services.participant_save(participant=person, by=admin_staff)
    client.force_login(supervisor)
    page = client.get(
        reverse("admin:participants_participant_history", args=[person.pk])
    ).content.decode()
    assert old not in page and person.nik not in page
    assert old[:4] + "**********" + old[-2:] in page


def test_draft_edits_of_a_grant_and_document_downloads_are_on_its_history(client, hadimulyo_barat):
    cast = Cast(hadimulyo_barat)
    grant = draft_grant(cast, ready_group(cast, hadimulyo_barat))
    services.grant_update(grant=grant, by=cast.worker, bank_account_number="9999-01-000001-50-1")
    ktp = grant.documents.get(kind=Document.Kind.KTP)
    client.force_login(cast.worker)
    download = client.get(reverse("grants:document", args=[ktp.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    assert download["Cache-Control"] == "no-store"
    assert DocumentDownload.objects.get().user == cast.worker

    client.force_login(cast.supervisor)
    page = client.get(reverse("admin:grants_grant_history", args=[grant.pk])).content.decode()
    assert "0123 0100 0456 501 → 9999 0100 0001 501" in html.unescape(page)
    assert "ktp.pdf" in page and "pekerja" in page


def test_assessment_decisions_are_kept_one_record_each(full_group, social_worker, supervisor):
    save_assessment(full_group)
    assessment_services.assessment_submit(group=full_group, by=social_worker)
    assessment_services.assessment_return(
        assessment=full_group.needs_assessment, by=supervisor, note="Lengkapi keahlian"
    )
    assessment_services.assessment_submit(group=full_group, by=social_worker)
    assessment_services.assessment_review(assessment=full_group.needs_assessment, by=supervisor)
    decisions = [
        (h.status, h.review_note)
        for h in full_group.needs_assessment.history.order_by("history_date")
        if h.status in ("returned", "reviewed")
    ]
    assert decisions == [("returned", "Lengkapi keahlian"), ("reviewed", "")]


def test_a_participant_history_page_answers_for_the_superuser(client, superuser):
    client.force_login(superuser)
    person = ParticipantFactory()
    assert (
        client.get(reverse("admin:participants_participant_history", args=[person.pk])).status_code
        == 200
    )
