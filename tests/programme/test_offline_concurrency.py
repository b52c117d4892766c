"""The same queued form sent twice at the same moment (two tabs, a retry racing the first) on a
real PostgreSQL: recorded once, the other answered "already saved"."""

from django.test import Client

from grants.models import MonitoringVisit
from metro_slum.models import OfflineSubmission
from tests.cast import Cast, approved_grant, disburse, ready_group
from tests.concurrency import postgres_only, run_at_once
from tests.factories import _kelurahan
from tests.programme.test_offline import visit_fields

pytestmark = postgres_only


def test_one_key_sent_twice_at_once_records_one_visit():
    kelurahan = _kelurahan("1872011004")
    cast = Cast(kelurahan)
    group = ready_group(cast, kelurahan)
    disburse(cast, approved_grant(cast, group), 2_550_000)
    fields = visit_fields(group)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(cast.worker)
    answers = run_at_once(
        [lambda client=client: client.post("/luring/kirim/", fields).json() for client in clients]
    )
    assert sorted(answer["state"] for answer in answers) == ["already", "saved"]
    assert MonitoringVisit.objects.count() == 1
    assert OfflineSubmission.objects.count() == 1
