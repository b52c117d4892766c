"""A record's lifecycle declared once: each step, the states it starts from, where it leads, who
takes it.

The services ask the table before writing (`require`, `expect`), the pages and admin actions ask it
which buttons to show (`allowed_steps`), the stage shown to users and the tests read it too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _


@dataclass(frozen=True, kw_only=True)
class Step:
    name: str
    label: str
    sources: tuple
    # The status the step leads to; None for work done within a status (editing, adding lines).
    target: str | None
    permission: str
    # Who takes the step (metro_slum.roles.Actor): the stage tracker shows its label beside the
    # hint and colours the badge by it.
    actor: str
    # Said to a user without the permission.
    refusal: str
    # Shown as "next" while the step waits: one text, or one per source status (a record sent
    # back is corrected, not started).
    hint: str | dict = ""
    # Said when the record is no longer where the step starts; %(what)s and %(status)s filled in.
    wrong_state: str = ""
    # A further condition on the user, e.g. maker-checker: whoever submitted may not decide.
    guard: Callable | None = None

    def hint_from(self, status) -> str:
        """The "next" text of this step for a record in `status`."""
        if isinstance(self.hint, dict):
            return self.hint.get(status, next(iter(self.hint.values())))
        return self.hint


class Workflow:
    def __init__(self, what: str, steps: tuple[Step, ...]):
        self.what = what
        self.steps = {step.name: step for step in steps}

    def __getitem__(self, name: str) -> Step:
        return self.steps[name]

    def allows(self, record, name: str) -> bool:
        """Return whether the record's current status is one the step starts from."""
        return record.status in self.steps[name].sources

    def may(self, user, record, name: str) -> bool:
        step = self.steps[name]
        return (
            user is not None
            and record.status in step.sources
            and user.has_perm(step.permission)
            and (step.guard is None or step.guard(record, user))
        )

    def allowed_steps(self, record, user) -> list[Step]:
        """Return the steps this user may take on the record now, in the table's order."""
        return [step for name, step in self.steps.items() if self.may(user, record, name)]

    def require(self, user, name: str) -> Step:
        """Refuse (403) a user whose role does not take this step."""
        step = self.steps[name]
        if user is None or not user.has_perm(step.permission):
            raise PermissionDenied(step.refusal)
        return step

    def expect(self, record, name: str) -> Step:
        """Refuse a step the record's status does not allow (checked again inside the row lock)."""
        step = self.steps[name]
        if record.status not in step.sources:
            template = step.wrong_state or _(
                "This step cannot be taken: the %(what)s is now '%(status)s'. Someone may have "
                "done it already; reload the page."
            )
            raise ValidationError(
                capfirst(template % {"what": self.what, "status": record.get_status_display()}),
                code="wrong_status",
            )
        return step

    def transitions(self) -> list[tuple[str, str, str | None]]:
        """Return every (from status, step, to status) of the table."""
        return [
            (source, step.name, step.target)
            for step in self.steps.values()
            for source in step.sources
        ]

    def next_steps(self, status) -> list[Step]:
        """Return the steps that lead on from a status (to another status)."""
        return [
            step
            for step in self.steps.values()
            if status in step.sources and step.target not in (None, status)
        ]
