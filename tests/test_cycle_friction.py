"""The steps of a whole cycle that cost users time or trust, each as the user meets it: the
programme a dashboard opens on, disbursement as a visible next step, the LPJ's money before the
supervisor accepts it, registration from a group, numbers typed as people write them, history in
words, refused forms that say where, and follow-ups corrected while open."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from families import services as family_services
from families.models import FollowUp
from grants.models import Grant
from metro_slum import charts, figures
from metro_slum.formatting import rupiah
from participants.models import Membership, Participant
from participants.selectors import participants_eligible_for
from tests.cast import Cast, approved_grant, disburse, ready_group, spend
from tests.conftest import fill_group
from tests.factories import (
    GroupFactory,
    ParticipantFactory,
    ProgramFactory,
    UserFactory,
    _kelurahan,
    as_form_data,
    participant_fields,
    record_rank,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return Cast(_kelurahan())


def test_the_dashboard_opens_on_the_programme_running_today_not_next_years(client, cast):
    today = datetime.date.today()
    running = ProgramFactory(
        name="Program Berjalan", start_date=today - datetime.timedelta(days=30)
    )
    next_year = ProgramFactory(
        name="Program Tahun Depan",
        year=today.year + 1,
        start_date=today + datetime.timedelta(days=40),
        end_date=today + datetime.timedelta(days=400),
    )
    GroupFactory(program=next_year)
    client.force_login(cast.supervisor)
    response = client.get(reverse("programme:dashboard"))
    assert response.context["program"] == running
    html = response.content.decode()
    # Both are in the switcher, the year first so that a long name cut short still says which.
    assert f"{next_year.year} · Program Tahun Depan" in html
    # Chosen by hand, the future programme is shown.
    response = client.get(reverse("programme:dashboard"), {"program": next_year.pk})
    assert response.context["program"] == next_year


def test_browsers_asking_for_favicon_ico_get_the_offices_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("favicon.svg")


def test_a_failed_login_is_announced_and_marks_both_fields(client, cast):
    response = client.post(reverse("login"), {"username": "pekerja", "password": "salah"})
    html = response.content.decode()
    assert re.search(r'role="alert"[^>]*id="login-error"', html)
    assert html.count('aria-invalid="true"') == 2
    assert 'aria-describedby="login-error"' in html
    admin_login = client.post(reverse("admin:login"), {"username": "staf", "password": "salah"})
    assert admin_login.content.decode().count('aria-invalid="true"') == 2


def test_a_refused_registration_lists_what_to_correct_as_links_to_the_fields(client, cast):
    client.force_login(cast.worker)
    response = client.post(reverse("participants:participant_create"), {"nik": "123"})
    html = response.content.decode()
    summary = html[html.index('id="form-errors"') : html.index("</ul>", html.index("form-errors"))]
    assert 'href="#id_nik"' in summary and 'href="#id_full_name"' in summary
    assert "data-error-summary" in html
    assert Participant.objects.count() == 0


def test_an_incomplete_assessment_links_to_and_marks_the_empty_venue(client, cast):
    from tests.assessments.helpers import save_assessment

    group = GroupFactory()
    fill_group(group, 10)
    save_assessment(group, venue="")
    client.force_login(cast.worker)
    url = reverse("assessments:assessment", kwargs={"group_pk": group.pk})
    page = client.get(url)
    form = page.context["form"]
    data = {
        name: value
        for name, value in ((field.html_name, field.value()) for field in form)
        if value is not None
    }
    for formset in (page.context["problems"], page.context["profiles"]):
        data.update(
            {
                f"{formset.prefix}-{key}": value
                for key, value in formset.management_form.initial.items()
            }
        )
        for row in formset.forms:
            data.update({f.html_name: f.value() for f in row if f.value() is not None})
    data["action"] = "submit"
    data["venue"] = ""
    html = client.post(url, data).content.decode()
    assert 'href="#id_venue"' in html
    assert re.search(
        r'<textarea[^>]*name="venue"[^>]*aria-invalid="true"|<input[^>]*name="venue"[^>]*aria-invalid="true"',
        html,
    )


def test_an_approved_grant_offers_recording_its_disbursement_with_the_money_left(client, cast):
    group = ready_group(cast, _kelurahan())
    grant = approved_grant(cast, group)
    disburse(cast, grant, 1_000_000)
    left = grant.amount_approved - 1_000_000
    client.force_login(cast.staff)
    admin_page = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    add_url = reverse("admin:grants_disbursement_add") + f"?grant={grant.pk}"
    assert f'href="{add_url}"' in admin_page
    assert "Catat pencairan" in admin_page
    assert f"sisa yang belum dicairkan {rupiah(left)}" in admin_page
    portal = client.get(reverse("grants:grant", kwargs={"group_pk": group.pk})).content.decode()
    assert 'id="tranche-next"' in portal and add_url.replace("&", "&amp;") in portal

    form = client.get(add_url).context["adminform"].form
    officers = {m.group_id for m in form.fields["received_by"].queryset}
    assert officers == {group.pk}
    roles = {m.role for m in form.fields["received_by"].queryset}
    assert roles == {Membership.Role.KETUA, Membership.Role.BENDAHARA}
    assert "sisa" in str(form.fields["amount"].help_text)
    # Another group's approved grant does not lend its officers to this form.
    other = ready_group(cast, _kelurahan())
    approved_grant(cast, other)
    form = client.get(add_url).context["adminform"].form
    assert {m.group_id for m in form.fields["received_by"].queryset} == {group.pk}


def test_the_head_of_office_is_not_offered_recording_a_disbursement(client, cast):
    group = ready_group(cast, _kelurahan())
    grant = approved_grant(cast, group)
    head = UserFactory(username="kadis", is_staff=True, roles=["Kepala Dinas"])
    client.force_login(head)
    page = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert "Catat pencairan" not in page


def test_accepting_the_lpj_in_admin_shows_receipts_against_the_money(client, cast):
    group = ready_group(cast, _kelurahan())
    grant = approved_grant(cast, group)
    money = grant.amount_approved
    disburse(cast, grant, money)
    spend(cast, grant, money - 500_000)
    Grant.objects.filter(pk=grant.pk).update(status=Grant.Status.DISBURSED)
    figures.changed(grants=[grant.pk])
    client.force_login(cast.supervisor)
    response = client.post(
        reverse("admin:grants_grant_changelist"),
        {"action": "accept_accountability_selected", "_selected_action": [grant.pk]},
    )
    html = response.content.decode()
    table = html[html.index('id="lpj-figures"') :]
    assert rupiah(money) in table and rupiah(money - 500_000) in table
    assert rupiah(500_000) in table
    assert "1 dari 1 baris" in table


def test_grant_history_speaks_in_words_names_and_rupiah(client, cast):
    cast.worker.first_name, cast.worker.last_name = "Siti", "Rahayu"
    cast.worker.save()
    group = ready_group(cast, _kelurahan())
    grant = approved_grant(cast, group)
    client.force_login(cast.supervisor)
    html = client.get(reverse("admin:grants_grant_history", args=[grant.pk])).content.decode()
    changes = html[html.index('id="grant-changes"') : html.index("document-downloads")]
    assert "Diajukan" in changes and "submitted" not in changes
    assert "Siti Rahayu" in changes
    assert re.search(r"Rp \d{1,3}(\.\d{3})+", changes)
    assert not re.search(r"→ \d+<", changes)  # no bare ids or amounts


def test_the_simple_history_page_shows_choices_and_people_in_words(client, cast):
    person = ParticipantFactory()
    person.sex = Participant.Sex.FEMALE
    person.save()
    client.force_login(cast.staff)
    url = reverse("admin:participants_participant_history", args=[person.pk])
    html = client.get(url).content.decode()
    assert "Perempuan" in html and "→&nbsp;&nbsp;P<" not in html


def test_words_a_group_name_is_not_doubled_and_admin_filters_say_tidak(client, cast):
    client.force_login(cast.worker)
    response = client.post(
        reverse("participants:group_create"),
        {
            "name": "Kelompok Keripik Maju",
            "program": ProgramFactory().pk,
            "kelurahan": _kelurahan().pk,
            "business_type": "cakes",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "Tersimpan: Kelompok Keripik Maju." in text
    assert "Kelompok Kelompok" not in text
    client.force_login(cast.staff)
    changelist = client.get(reverse("admin:participants_kelurahan_changelist")).content.decode()
    assert ">Tidak</a>" in changelist and ">No</a>" not in changelist


def test_handover_minutes_have_their_own_number_and_documents_read_in_kb(client, cast):
    group = ready_group(cast, _kelurahan())
    grant = approved_grant(cast, group)
    tranche = disburse(cast, grant, 1_000_000, reference="TRF-889123")
    client.force_login(cast.staff)
    html = client.get(reverse("grants:handover", args=[tranche.pk])).content.decode()
    assert f'Nomor: <span id="minutes-number">{tranche.pk:04d}/BAST-BMU/' in html
    assert 'id="reference-number">TRF-889123<' in html
    page = client.get(reverse("admin:grants_grant_change", args=[grant.pk])).content.decode()
    assert re.search(r"\d+([,.]\d)?\s(bita|KB|byte)", page)
    assert 'target="_blank" rel="noopener"' in page


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("381 0123 4567 89", "3810 1234 5678 9"), ("0123-01-000456-50-1", "0123 0100 0456 501")],
)
def test_a_bank_account_typed_as_in_the_passbook_is_kept_as_its_digits(client, cast, typed, shown):
    group = ready_group(cast, _kelurahan())
    client.force_login(cast.worker)
    url = reverse("grants:grant", kwargs={"group_pk": group.pk})
    client.post(
        url,
        {
            "amount_requested": "2000000",
            "purpose": "Modal usaha",
            "bank_name": "Bank Lampung",
            "bank_account_number": typed,
            "bank_account_holder": group.name,
        },
    )
    grant = Grant.objects.get(group=group)
    assert grant.bank_account_number == re.sub(r"\D", "", typed)
    # Once proposed the page reads it back in groups of four.
    Grant.objects.filter(pk=grant.pk).update(status=Grant.Status.SUBMITTED)
    figures.changed(grants=[grant.pk])
    assert shown in client.get(url).content.decode()
    client.force_login(cast.supervisor)
    admin_page = client.get(reverse("admin:grants_grant_change", args=[grant.pk]))
    assert shown in admin_page.content.decode()


def test_a_phone_keeps_its_digits_and_reads_in_groups(client, cast):
    client.force_login(cast.worker)
    person = ParticipantFactory()
    url = reverse("participants:participant_edit", args=[person.pk])
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    data.update(
        phone="0812-3456 7890",
        birth_date=person.birth_date.strftime("%d/%m/%Y"),
        consent_date="20/07/2026",
        consent_given="on",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    person.refresh_from_db()
    assert person.phone == "081234567890"
    page = client.get(reverse("person", args=[person.pk]))
    assert "0812 3456 7890" in page.content.decode()


def _registration(kelurahan, **extra):
    data = as_form_data(participant_fields(kelurahan, full_name="Warsini"))
    data.update(birth_date="12/08/1985", consent_date="20/07/2026", **extra)
    return data


def test_registering_from_a_group_adds_the_person_to_it_with_the_role_chosen(client, cast):
    kelurahan = _kelurahan()
    group = GroupFactory(kelurahan=kelurahan)
    record_rank("1872011501150001", 2)  # the household's rank, from today's DTSEN list
    client.force_login(cast.worker)
    url = reverse("participants:participant_create") + f"?kelompok={group.pk}"
    assert 'id="join-group"' in client.get(url).content.decode()
    data = _registration(
        kelurahan, **{"kelompok-role": Membership.Role.BENDAHARA, "kelompok-joined_on": ""}
    )
    response = client.post(url, data, follow=True)
    membership = Membership.objects.get(group=group)
    assert membership.participant.full_name == "Warsini"
    assert membership.role == Membership.Role.BENDAHARA
    assert "Warsini terdaftar dan masuk" in response.content.decode()


def test_registering_into_a_full_group_saves_neither_the_person_nor_the_membership(client, cast):
    kelurahan = _kelurahan()
    group = GroupFactory(kelurahan=kelurahan)
    fill_group(group, 10)
    people = Participant.objects.count()
    client.force_login(cast.worker)
    url = reverse("participants:participant_create") + f"?kelompok={group.pk}"
    data = _registration(
        kelurahan, **{"kelompok-role": Membership.Role.ANGGOTA, "kelompok-joined_on": ""}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert Participant.objects.count() == people
    assert 'id="form-errors"' in response.content.decode()


def test_a_resident_funded_in_an_earlier_programme_is_marked_where_members_are_chosen(cast):
    kelurahan = _kelurahan()
    earlier = ProgramFactory(year=2025, start_date=datetime.date(2025, 1, 1))
    old_group = ready_group(cast, kelurahan, program=earlier)
    old_grant = approved_grant(cast, old_group)
    Grant.objects.filter(pk=old_grant.pk).update(status=Grant.Status.CLOSED)
    figures.changed(grants=[old_grant.pk])
    person = old_group.memberships.first().participant
    new_group = GroupFactory(kelurahan=kelurahan)
    from participants.forms import MemberAddForm

    form = MemberAddForm(eligible=participants_eligible_for(new_group))
    labels = dict(form.fields["participant"].choices)
    assert labels[person.pk] == f"{person.full_name} – pernah menerima modal usaha tahun 2025"


def test_the_assessment_offers_the_income_typed_at_registration(client, cast):
    group = GroupFactory()
    (member,) = fill_group(group, 1)
    Participant.objects.filter(pk=member.participant_id).update(monthly_income=425000)
    client.force_login(cast.worker)
    page = client.get(reverse("assessments:assessment", kwargs={"group_pk": group.pk}))
    row = page.context["profiles"].forms[0]
    assert row["current_income"].value() == Decimal(425000)


def _follow_up(cast, group):
    return family_services.follow_up_create(
        group=group,
        by=cast.worker,
        category="health",
        need="BPJS untuk keluarga",
        scope=FollowUp.Scope.GROUP,
        service=FollowUp.Service.BPJS_PBI,
        referred_to="Puskesmas Yosomulyo",
        due_date=datetime.date.today() + datetime.timedelta(days=20),
    )


def test_the_worker_who_recorded_a_follow_up_corrects_it_while_open(client, cast):
    group = GroupFactory()
    follow_up = _follow_up(cast, group)
    url = reverse("families:follow_up_edit", args=[follow_up.pk])
    client.force_login(cast.worker)
    page = client.get(reverse("families:follow_up", args=[follow_up.pk])).content.decode()
    assert url in page
    # The referral already known is offered on the step form, not asked again.
    assert 'value="Puskesmas Yosomulyo"' in page
    form = client.get(url).context["form"]
    data = {f.html_name: f.value() for f in form if f.value() is not None}
    data.update(need="BPJS dan KIS untuk keluarga", due_date="30/12/2026")
    response = client.post(url, data)
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.need == "BPJS dan KIS untuk keluarga"
    assert follow_up.due_date == datetime.date(2026, 12, 30)


def test_nobody_else_corrects_a_follow_up_and_nobody_a_closed_one(client, cast):
    group = GroupFactory()
    follow_up = _follow_up(cast, group)
    url = reverse("families:follow_up_edit", args=[follow_up.pk])
    colleague = UserFactory(username="pekerja2", roles=["Pekerja Sosial"])
    colleague.kelurahan_assignments.create(kelurahan=group.kelurahan)
    client.force_login(colleague)
    assert client.get(url).status_code == 403
    FollowUp.objects.filter(pk=follow_up.pk).update(status=FollowUp.Status.RESOLVED)
    client.force_login(cast.worker)
    assert client.get(url).status_code == 403


def _text_boxes(svg):
    """(x from, x to) of each label (and of each line of a label on two), from its anchor and
    an estimate of its width."""
    boxes = []
    for x, y, size, anchor, content in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" font-size="(\d+)"(?: text-anchor="(\w+)")?>(.*?)</text>',
        svg,
    ):
        lines = re.findall(r'<tspan x="([\d.]+)" dy="[\d.]+">([^<]*)</tspan>', content) or [
            (x, re.sub(r"<title>.*?</title>", "", content))
        ]
        for line_x, text in lines:
            width = charts.text_width(text, int(size))
            start = {"end": float(line_x) - width, "middle": float(line_x) - width / 2}.get(
                anchor, float(line_x)
            )
            boxes.append((round(float(y)), start, start + width, text))
    return boxes


def test_a_long_bar_label_goes_on_two_lines_inside_the_chart_never_clipped():
    svg = charts.bar_chart(
        "Grants by status",
        [("Accountability report accepted", [3]), ("Submitted", [1])],
        [charts.Series("grants", "#6f42c1")],
    )
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    boxes = _text_boxes(svg)
    texts = [text for *_rest, text in boxes]
    first = next(text for text in texts if text.startswith("Accountability"))
    assert first != "Accountability report accepted"  # on two lines
    assert f"{first} {texts[texts.index(first) + 1]}" == "Accountability report accepted"
    for _y, start, end, text in boxes:
        assert start >= 0 and end <= width, text
    assert "<title>Accountability report accepted</title>" in svg  # whole, for a reader


def test_bar_values_stay_inside_the_chart():
    svg = charts.bar_chart(
        "Dana",
        [("Hadimulyo Barat", [17_100_000, 17_100_000]), ("Iringmulyo", [17_870_000, 0])],
        [charts.Series("disetujui", "#0d6efd"), charts.Series("dicairkan", "#198754")],
        fmt=lambda v: f"Rp {v:,.0f}".replace(",", "."),
    )
    width = float(re.search(r'viewBox="0 0 ([\d.]+)', svg).group(1))
    for _y, start, end, text in _text_boxes(svg):
        assert start >= 0 and end <= width, text


def test_crowded_line_labels_do_not_overlap_each_other_or_the_axis():
    values = [(f"{month:02d}/2026", 1_000_000 + month * 150_000) for month in range(1, 13)]
    svg = charts.line_chart(
        "Omzet",
        values,
        y_label="omzet",
        x_label="bulan",
        fmt=str,
        tick_fmt=lambda v: f"{v / 1_000_000:.1f} jt",
    )
    boxes = [b for b in _text_boxes(svg) if b[3] not in ("omzet", "bulan")]
    for i, (y1, s1, e1, t1) in enumerate(boxes):
        for y2, s2, e2, t2 in boxes[i + 1 :]:
            if abs(y1 - y2) < 12:
                assert e1 <= s2 or e2 <= s1, (t1, t2)
    assert all(start >= 0 and end <= 320 for _y, start, end, _t in boxes)


def test_an_excel_list_of_a_group_called_kelompok_does_not_say_it_twice(cast):
    import io

    from openpyxl import load_workbook

    from participants import exports

    group = GroupFactory(name="Kelompok Keripik Maju")
    fill_group(group, 2)
    export = exports.participants_export(user=cast.staff, scope=exports.Scope(group=group))
    sheet = load_workbook(io.BytesIO(export.file.read())).active
    heading = " ".join(
        str(cell.value) for row in sheet.iter_rows(max_row=3) for cell in row if cell.value
    )
    assert "Kelompok Keripik Maju" in heading
    assert "Kelompok Kelompok" not in heading
    named_plainly = GroupFactory(name="Tani Makmur")
    assert named_plainly.titled_name == "Kelompok Tani Makmur"
