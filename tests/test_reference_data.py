"""What migrations create is what the suite puts back after a transactional test empties the
database (tests/conftest.py): a new data migration that is not added there fails here."""

import pytest
from django.apps import apps
from django.core.management import call_command

from tests.conftest import put_back_reference_data


def counts():
    """Rows per table, the history of changes left out (putting back writes its own)."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
    }


@pytest.mark.migrations
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_what_migrations_create_is_put_back_whole_after_the_database_is_emptied():
    migrated = counts()
    assert migrated["participants.Kelurahan"] > 0 and migrated["auth.Permission"] > 0
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert counts()["participants.Kelurahan"] == 0
    put_back_reference_data()
    assert counts() == migrated
