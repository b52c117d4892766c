"""Random and hostile input never gives a server error and never a partial write.

Hypothesis generates what people (or attackers) could type into the participant, assessment,
plan and grant forms and into an Excel list; every answer must be a form with messages or a
redirect, and the database must hold either everything of a valid submission or nothing.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessments.models import ActionPlan, NeedsAssessment
from grants.models import Grant
from participants.models import Participant
from participants.spreadsheet.importer import run_import
from tests.cast import Cast, ready_group
from tests.conftest import fill_group
from tests.participants.spreadsheet_files import person, xlsx

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text a field may receive: ordinary words, digits of every script, separators, markup, nothing.
hostile_text = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"[0-9 .]{0,24}", fullmatch=True),
    st.sampled_from(
        ["", " ", "0", "-1", "1e9", "NaN", "９９", "١٢٣", "²", "<script>x</script>", "' OR 1=1 --",
         "=HYPERLINK(\"x\")", "\x00", "1872011208850003", "31/02/2026", "2026-13-45", "x" * 3000]
    ),
)  # fmt: skip


# What a cell of a real workbook can hold: no control characters (openpyxl cannot write them, and
# Excel does not store them either).
spreadsheet_text = hostile_text.map(lambda text: "".join(c for c in text if c >= " " or c == "\t"))


@contextmanager
def rolled_back():
    """Run one example and undo it, so that every example meets the same database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@EXAMPLES
@given(fields=st.fixed_dictionaries({
    name: hostile_text
    for name in ("nik", "kk_number", "full_name", "sex", "birth_place", "birth_date", "address",
                 "rt", "rw", "phone", "monthly_income", "household_size", "consent_date",
                 "legal_basis", "notes")
}))  # fmt: skip
def test_the_participant_form_answers_every_input_without_a_partial_write(
    client, social_worker, hadimulyo_barat, fields
):
    client.force_login(social_worker)
    with rolled_back():
        before = Participant.objects.count()
        response = client.post(
            reverse("participants:participant_create"),
            {**fields, "kelurahan": hadimulyo_barat.pk, "consent_given": "on"},
        )
        assert response.status_code in (200, 302)
        created = Participant.objects.count() - before
        assert created == (1 if response.status_code == 302 else 0)
        if created:
            Participant.objects.order_by("-pk").first().full_clean()


@EXAMPLES
@given(
    values=st.lists(hostile_text, min_size=8, max_size=8),
    ranks=st.lists(hostile_text, min_size=2, max_size=2),
    action=st.sampled_from(["save", "submit"]),
)
def test_the_assessment_page_answers_every_input_without_a_partial_write(
    client, social_worker, group, values, ranks, action
):
    client.force_login(social_worker)
    url = reverse("assessments:assessment", args=[group.pk])
    data = {
        "start_date": values[0], "end_date": values[1], "venue": values[2],
        "facilitators": values[3], "chosen_business": values[4],
        "chosen_business_reason": values[5],
        "problems-TOTAL_FORMS": "2", "problems-INITIAL_FORMS": "0",
        "problems-0-rank": ranks[0], "problems-0-category": "economic",
        "problems-0-description": values[6],
        "problems-1-rank": ranks[1], "problems-1-category": values[7],
        "problems-1-description": "x",
        "profiles-TOTAL_FORMS": "0", "profiles-INITIAL_FORMS": "0", "action": action,
    }  # fmt: skip
    with rolled_back():
        fill_group(group, 10)
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert not NeedsAssessment.objects.filter(group=group).exists()


@EXAMPLES
@given(lines=st.lists(st.tuples(hostile_text, hostile_text, hostile_text), max_size=3),
       goal=hostile_text)  # fmt: skip
def test_the_plan_page_answers_every_budget_without_a_partial_write(
    client, social_worker, full_group, lines, goal
):
    client.force_login(social_worker)
    url = reverse("assessments:plan", args=[full_group.pk])
    data = {
        "goal": goal,
        "activities-TOTAL_FORMS": "0", "activities-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": str(len(lines)), "budget-INITIAL_FORMS": "0",
    }  # fmt: skip
    for index, (item, quantity, price) in enumerate(lines):
        data |= {
            f"budget-{index}-item": item, f"budget-{index}-quantity": quantity,
            f"budget-{index}-unit": "unit", f"budget-{index}-unit_price": price,
        }  # fmt: skip
    with rolled_back():
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            assert not ActionPlan.objects.filter(group=full_group).exists()


@EXAMPLES
@given(fields=st.fixed_dictionaries({
    name: hostile_text
    for name in ("amount_requested", "purpose", "bank_name", "bank_account_number",
                 "bank_account_holder")
}))  # fmt: skip
def test_the_grant_form_answers_every_input_without_a_partial_write(
    client, hadimulyo_barat, fields
):
    with rolled_back():
        cast = Cast(hadimulyo_barat)
        group = ready_group(cast, hadimulyo_barat)
        client.force_login(cast.worker)
        response = client.post(reverse("grants:grant", args=[group.pk]), fields)
        assert response.status_code in (200, 302)
        assert Grant.objects.filter(group=group).exists() == (response.status_code == 302)


@EXAMPLES
@given(cells=st.lists(st.fixed_dictionaries({
    key: st.one_of(spreadsheet_text, st.integers(), st.floats(allow_nan=True), st.none())
    for key in ("NIK", "No. KK", "Nama Lengkap", "L/P", "Tanggal Lahir", "RT", "Kelurahan")
}), min_size=1, max_size=4))  # fmt: skip
def test_the_importer_writes_everything_or_nothing_whatever_the_cells(
    admin_staff, hadimulyo_barat, cells
):
    rows = [person(n + 1, **values) for n, values in enumerate(cells)]
    with rolled_back():
        before = Participant.objects.count()
        result = run_import(xlsx(rows), user=admin_staff, dry_run=False)
        written = Participant.objects.count() - before
        if result.errors:
            assert written == 0
        else:
            assert written == result.created
