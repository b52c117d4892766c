"""Reports and exports read from a read replica of the database, when one is configured.

Everything else — every page a user edits from, every write — stays on the primary, so a user
always sees what was just saved. A report or an export may lag the primary by the replica's delay
(seconds), which is acceptable for a document about a whole programme and takes its long reads
off the primary. With no replica configured (DATABASE_REPLICA_URL unset) nothing changes.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction

REPLICA = "replica"

_reading = ContextVar("reads_from_replica", default=False)


@contextmanager
def reads_from_replica():
    """Within this block the ORM reads from the replica (writes still go to the primary)."""
    token = _reading.set(True)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def reading_for_export():
    """The reads of a long export: from the replica where there is one, in one read transaction.

    The transaction gives the whole file one consistent snapshot, and keeps the server-side cursor
    of `.iterator()` inside it, as PgBouncer's transaction pooling requires (outside a transaction
    Django would open a cursor WITH HOLD that outlives it)."""
    with reads_from_replica():
        alias = REPLICA if settings.REPLICA_READS else DEFAULT_DB_ALIAS
        with transaction.atomic(using=alias):
            yield


def read_lazily_for_export(items: Iterable) -> Iterator:
    """Iterate rows that a streamed response reads after its view has returned."""
    with reading_for_export():
        yield from items


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if settings.REPLICA_READS and _reading.get():
            return REPLICA
        return None

    def db_for_write(self, model, **hints):
        return None

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica copies the primary; it is never migrated on its own.
        return db != REPLICA
