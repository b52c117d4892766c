"""Run calls truly at once, each in its own thread and database connection (PostgreSQL tests)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

# Decided before any database set-up: a transactional test that only skips would still empty the
# database on its way out.
postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://... (.ci/run does)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def run_at_once(calls):
    """Release all calls together; return each one's result or the ValidationError it raised."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except ValidationError as exc:
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def refusals(outcomes):
    return [o for o in outcomes if isinstance(o, ValidationError)]
