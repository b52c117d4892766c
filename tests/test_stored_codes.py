"""Stored choice values are English codes; the migrations that recode an older database turn
every stored row, and its history, from the Indonesian codes into them and back."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from participants.models import Membership, ParticipantGroup

pytestmark = pytest.mark.django_db

RECODING = importlib.import_module("participants.migrations.0019_english_codes")


class Editor:
    """What the recoding asks of a schema editor: its connection, and to run a statement."""

    connection = connection

    def execute(self, sql):
        with connection.cursor() as cursor:
            cursor.execute(sql)


def stored(model, field):
    return sorted(set(model.objects.values_list(field, flat=True)))


def test_every_choice_is_stored_as_an_english_code():
    # What a stored value may be: lower-case English words, the few proper names (KTP, RAB,
    # DTKS, BPJS PBI) and the sexes' L/P of the identity card.
    indonesian = set(RECODING.CODES[("Membership", "role")]) | {"lainnya", "selesai", "kuitansi"}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            for value, _label in getattr(field, "flatchoices", None) or []:
                assert value not in indonesian, (model, field.name, value)


def test_an_older_database_is_recoded_and_back(planned_group, monkeypatch):
    # The recoding runs on today's models: of its fields, those a later migration removed
    # (the typed DTKS status, now the household's DTSEN readings) are left out.
    def still_there(model_name, field):
        names = {f.name for f in apps.get_model("participants", model_name)._meta.get_fields()}
        return field in names

    kept = {key: codes for key, codes in RECODING.CODES.items() if still_there(*key)}
    monkeypatch.setattr(RECODING, "CODES", kept)
    # The rows as an installation from before the change holds them.
    Membership.objects.exclude(role__in=Membership.OFFICER_ROLES).update(role="anggota")
    Membership.objects.filter(role=Membership.Role.KETUA).update(role="ketua")
    Membership.history.filter(role=Membership.Role.KETUA).update(role="ketua")
    ParticipantGroup.objects.update(business_type="jamu")
    RECODING.to_english(apps, Editor())
    assert stored(Membership, "role") == ["chair", "member", "secretary", "treasurer"]
    assert "ketua" not in stored(Membership.history.model, "role")
    assert stored(ParticipantGroup, "business_type") == ["herbal_drinks"]
    RECODING.to_indonesian(apps, Editor())
    assert stored(Membership, "role") == ["anggota", "bendahara", "ketua", "sekretaris"]
    assert stored(ParticipantGroup, "business_type") == ["jamu"]
    RECODING.to_english(apps, Editor())
    assert planned_group.memberships.filter(role=Membership.Role.KETUA).count() == 1
