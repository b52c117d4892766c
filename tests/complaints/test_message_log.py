"""The message log in admin: a message about a sensitive complaint reaches only those who see the
complaint, and phone numbers show in full only to those who correct them."""

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Category, Complaint
from metro_slum import roles
from participants.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEXT = "Petugas meminta uang Rp 200.000 agar nama saya masuk daftar penerima."
PHONE = "081234567890"
SENT_TO = "+6281234567890"


@pytest.fixture
def officer(db):
    return UserFactory(
        username="pengaduan", is_staff=True, roles=[roles.SUPERVISOR, roles.SENSITIVE_COMPLAINTS]
    )


def told_of_a_step(cast, kelurahan, category, by):
    complaint, _code = services.complaint_create(
        by=None, description=TEXT, kelurahan=kelurahan, category=category,
        channel=Complaint.Channel.WEB, name="Warga", phone=PHONE,
    )  # fmt: skip
    services.complaint_step(complaint=complaint, step="assess", by=by, note="Ditelaah.")
    return Message.objects.get(key__startswith=f"complaint:{complaint.pk}:", text__contains="Dit")


def change_url(message):
    return reverse("admin:participants_message_change", args=[message.pk])


def test_a_sensitive_complaints_messages_are_hidden_from_staff_and_supervisors(
    client, cast, hadimulyo_barat, officer
):
    message = told_of_a_step(cast, hadimulyo_barat, Category.STAFF_FEE, officer)
    assert message.sensitive and message.phone == SENT_TO
    for user in (cast.staff, cast.supervisor):
        client.force_login(user)
        for query in ({"q": SENT_TO}, {"q": PHONE}, {}):
            listed = client.get(reverse("admin:participants_message_changelist"), query)
            assert listed.status_code == 200
            assert change_url(message) not in listed.content.decode()
        # Admin's answer to a record the user may not see: back to the index, nothing shown.
        hidden = client.get(change_url(message))
        assert hidden.status_code == 302 and SENT_TO not in hidden.content.decode()
    client.force_login(officer)
    listed = client.get(reverse("admin:participants_message_changelist"))
    assert change_url(message) in listed.content.decode()
    assert client.get(change_url(message)).status_code == 200


def test_phone_numbers_are_masked_for_supervisors_and_whole_for_staff(
    client, cast, hadimulyo_barat
):
    message = told_of_a_step(cast, hadimulyo_barat, Category.AMOUNT_CUT, cast.supervisor)
    assert not message.sensitive
    client.force_login(cast.supervisor)
    for page in (
        client.get(reverse("admin:participants_message_changelist")),
        client.get(change_url(message)),
    ):
        text = page.content.decode()
        assert page.status_code == 200 and SENT_TO not in text and "+62812*****890" in text
    # Nor can a supervisor find out whether a number was written to by searching for it.
    searched = client.get(reverse("admin:participants_message_changelist"), {"q": SENT_TO})
    assert change_url(message) not in searched.content.decode()
    client.force_login(cast.staff)
    searched = client.get(reverse("admin:participants_message_changelist"), {"q": SENT_TO})
    assert change_url(message) in searched.content.decode() and SENT_TO in searched.content.decode()
