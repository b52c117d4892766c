"""Every write to participants, groups and memberships goes through these functions.

The admin, the portal, the Excel importer and the management commands call them, so each rule (the
ten-member limit, one officer per role, one group per programme, members living in the group's
kelurahan) is written once, here, and in the database where the database can hold it.
"""

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from metro_slum import chronology, figures
from metro_slum.formatting import rupiah
from participants import eligibility
from participants.models import (
    MAX_GROUP_MEMBERS,
    Membership,
    Participant,
    ParticipantGroup,
)


@transaction.atomic
def participant_save(*, participant: Participant, by=None) -> Participant:
    """Validate and store a new or changed participant, stamping who did it."""
    if participant.pk is None:
        participant.created_by = by
    participant.updated_by = by
    participant.full_clean()
    stored = (
        Participant.objects.filter(pk=participant.pk).values_list("kk_number", flat=True).first()
        if participant.pk
        else None
    )
    try:
        # Two clerks registering the same NIK at the same moment both pass full_clean(); the
        # unique index stops the second, which is told so rather than shown a server error.
        with transaction.atomic():
            participant.save()
    except IntegrityError as error:
        if "nik" not in str(error).lower():
            raise
        raise ValidationError(
            {"nik": _("A participant with this NIK is already registered.")}, code="unique"
        ) from None
    if stored is not None and stored != participant.kk_number:
        figures.changed(households={stored, participant.kk_number})
    return participant


def participant_problems(participant: Participant, *, in_bulk: bool = False) -> dict:
    """Return {field: [messages]} for what is wrong with a participant, empty when nothing is.

    The validation of participant_save, for a check without a write. In bulk (the importer) the
    database's uniqueness and check constraints are not asked row by row: the importer matches
    rows on NIK, the consent and household-size rules are also the model's (clean() and the
    field's validator), and the indexes still hold at the write.
    """
    try:
        if in_bulk:
            participant.full_clean(
                exclude=["kelurahan", "created_by", "updated_by"],
                validate_unique=False,
                validate_constraints=False,
            )
        else:
            participant.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def participants_bulk_save(*, create, update, by, reason: str, history: bool = True) -> list:
    """Store many new and changed participants at once, with their history, or none of them.

    `update` holds (participant, changed field names). Every person is checked as participant_save
    checks one (participant_problems); if any is wrong nothing is written and [(participant,
    problems)] is returned, else who and when are stamped, everything is written in batches and []
    is returned. `history=False` (a rehearsal whose writes are rolled back) writes the rows with
    every database check but not their history rows.
    """
    update = list(update)
    people = [*create, *(person for person, _changed in update)]
    problems = [
        (person, found)
        for person in people
        if (found := participant_problems(person, in_bulk=True))
    ]
    if problems:
        return problems
    now = timezone.now()
    for person in create:
        person.created_by = person.updated_by = by
    for person, _changed in update:
        person.updated_by, person.updated_at = by, now
    with transaction.atomic():
        if history:
            bulk_create_with_history(
                list(create), Participant, batch_size=1000, default_user=by,
                default_change_reason=reason,
            )  # fmt: skip
        else:
            Participant.objects.bulk_create(list(create), batch_size=1000)
        if update:
            fields = sorted(
                {f for _p, changed in update for f in changed} | {"updated_by", "updated_at"}
            )
            moved = [person for person, changed in update if "kk_number" in changed]
            stored = set(
                Participant.objects.filter(pk__in=[person.pk for person in moved]).values_list(
                    "kk_number", flat=True
                )
            )
            people = [person for person, _changed in update]
            if history:
                bulk_update_with_history(
                    people, Participant, fields, batch_size=1000, default_user=by,
                    default_change_reason=reason,
                )  # fmt: skip
            else:
                Participant.objects.bulk_update(people, fields, batch_size=1000)
            if moved:
                figures.changed(households=stored | {person.kk_number for person in moved})
    return []


def participant_create(*, by=None, **fields) -> Participant:
    return participant_save(participant=Participant(**fields), by=by)


def program_check_grant_ceiling(*, program, amount, what: str) -> None:
    """Refuse an amount above the programme's grant ceiling per group, saying both figures."""
    if amount > program.grant_ceiling_per_group:
        raise ValidationError(
            _(
                "%(what)s of %(amount)s is above the grant ceiling per group of this programme "
                "(%(ceiling)s). Reduce it by %(excess)s."
            )
            % {
                "what": what,
                "amount": rupiah(amount),
                "ceiling": rupiah(program.grant_ceiling_per_group),
                "excess": rupiah(amount - program.grant_ceiling_per_group),
            },
            code="over_ceiling",
        )


@transaction.atomic
def group_save(*, group: ParticipantGroup) -> ParticipantGroup:
    """Validate and store a group; moved to another programme or kelurahan, the figures of the
    places it left and joined, and of its members' households, follow."""
    group.full_clean()
    stored = ParticipantGroup.objects.filter(pk=group.pk).values_list("program_id", "kelurahan_id")
    before = stored.first() if group.pk else None
    if before is None:
        group.save()
    else:  # the roster's summary is the figures' to write, never a form's stale copy
        group.save(update_fields=[
            f.name for f in ParticipantGroup._meta.concrete_fields
            if not f.primary_key and f.name not in ("roster_size", "roster_complete")
        ])  # fmt: skip
    now = (group.program_id, group.kelurahan_id)
    if before is not None and before != now:
        figures.changed(
            places=[before, now],
            households=group.memberships.values_list("participant__kk_number", flat=True),
        )
    return group


def group_create(*, program, kelurahan, name: str, **fields) -> ParticipantGroup:
    return group_save(
        group=ParticipantGroup(program=program, kelurahan=kelurahan, name=name, **fields)
    )


@dataclass(frozen=True)
class RosterEntry:
    """One line of a group's member list as it would stand after a change."""

    participant: Participant
    role: str


def roster_validate(*, group: ParticipantGroup, entries: list[RosterEntry]) -> None:
    """Raise a ValidationError naming every way the proposed member list breaks the group rules."""
    errors = []
    if len(entries) > MAX_GROUP_MEMBERS:
        errors.append(
            ValidationError(
                _(
                    "A group has at most %(max)d members; this change would make %(count)d. "
                    "Remove a member first, or put the person in another group."
                ),
                code="group_full",
                params={"max": MAX_GROUP_MEMBERS, "count": len(entries)},
            )
        )
    roles = Counter(entry.role for entry in entries)
    for role in Membership.OFFICER_ROLES:
        if roles[role] > 1:
            errors.append(
                ValidationError(
                    _(
                        "A group has one %(role)s; %(count)d members would hold that role. "
                        "Make the others ordinary members (anggota)."
                    ),
                    code="officer_taken",
                    params={
                        "role": Membership.Role(role).label,
                        "count": roles[role],
                        "value": role,
                    },
                )
            )
    seen = Counter(entry.participant.pk for entry in entries)
    for entry in entries:
        participant = entry.participant
        if seen[participant.pk] > 1:
            seen[participant.pk] = 0
            errors.append(
                ValidationError(
                    _("%(name)s is listed more than once."),
                    code="member_repeated",
                    params={"name": participant.full_name, "participant": participant.pk},
                )
            )
        if participant.kelurahan_id != group.kelurahan_id:
            errors.append(
                ValidationError(
                    _(
                        "%(name)s lives in kelurahan %(theirs)s, but the group is in %(group)s. "
                        "A group's members live in its kelurahan."
                    ),
                    code="member_other_kelurahan",
                    params={
                        "name": participant.full_name,
                        "theirs": participant.kelurahan.name,
                        "group": group.kelurahan.name,
                        "participant": participant.pk,
                    },
                )
            )
    elsewhere = (
        Membership.objects.filter(
            program_id=group.program_id, participant__in=[entry.participant for entry in entries]
        )
        .exclude(group_id=group.pk)
        .select_related("participant", "group")
    )
    for membership in elsewhere:
        errors.append(
            ValidationError(
                _(
                    "%(name)s is already a member of group %(group)s in this programme; a person "
                    "joins only one group per programme."
                ),
                code="member_in_other_group",
                params={
                    "name": membership.participant.full_name,
                    "group": membership.group.name,
                    "participant": membership.participant_id,
                },
            )
        )
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class MemberAddition:
    participant: Participant
    role: str = Membership.Role.ANGGOTA
    joined_on: datetime.date | None = None


@dataclass(frozen=True)
class MemberChange:
    membership: Membership
    role: str
    joined_on: datetime.date | None = None


def group_roster_update(
    *,
    group: ParticipantGroup,
    add: Iterable[MemberAddition] = (),
    change: Iterable[MemberChange] = (),
    remove: Iterable[Membership] = (),
) -> list[Membership]:
    """Add, change and remove members of one group as a single all-or-nothing step.

    Returns the memberships that were created.
    """
    add, change, remove = list(add), list(change), list(remove)
    try:
        with transaction.atomic():
            return _group_roster_update_locked(group=group, add=add, change=change, remove=remove)
    except IntegrityError as exc:
        # Another request changed the same people between our check and our write (for example
        # added the same person to a different group at the same moment). Nothing was written.
        raise ValidationError(
            _(
                "The group's members were changed by someone else at the same moment. "
                "Reload the page and try again."
            ),
            code="concurrent_change",
        ) from exc


def _group_roster_update_locked(*, group, add, change, remove):
    created = _group_roster_write(group=group, add=add, change=change, remove=remove)
    households = {m.participant.kk_number for m in remove} | {a.participant.kk_number for a in add}
    figures.changed(groups=[group.pk], households=households)
    return created


def _group_roster_write(*, group, add, change, remove):
    # Lock the group row: two staff adding the 10th member at once must not make 11. The second
    # request waits here until the first commits, then counts the members the first one added.
    group = (
        ParticipantGroup.objects.select_for_update()
        .select_related("program", "kelurahan")
        .get(pk=group.pk)
    )
    current = {
        m.pk: m for m in group.memberships.select_related("participant__kelurahan", "program")
    }
    removed = {m.pk for m in remove}
    changes = {c.membership.pk: c for c in change}
    unknown = (removed | set(changes)) - set(current)
    if unknown:
        raise ValidationError(
            _("A member to change or remove is no longer in this group. Reload the page."),
            code="membership_gone",
        )
    entries = [
        RosterEntry(m.participant, changes[pk].role if pk in changes else m.role)
        for pk, m in current.items()
        if pk not in removed
    ] + [RosterEntry(a.participant, a.role) for a in add]
    roster_validate(group=group, entries=entries)

    Membership.objects.filter(pk__in=removed).delete()
    # Two officers swapping roles would collide on the one-officer-per-role index half way
    # through, so the changed rows drop to plain members first and then take their new roles.
    Membership.objects.filter(pk__in=changes).update(role=Membership.Role.ANGGOTA)
    for pk, member_change in changes.items():
        membership = current[pk]
        membership.role = member_change.role
        if member_change.joined_on:
            membership.joined_on = member_change.joined_on
        chronology.require(membership)
        membership.save(update_fields=["role", "joined_on"])

    # Registered ahead of its programme, a member joins on the day it starts.
    joining = [(a, a.joined_on or max(timezone.localdate(), group.program.start_date)) for a in add]
    eligibility.require_eligible(group.program, [(a.participant, day) for a, day in joining])
    created = []
    for addition, joined_on in joining:
        membership = Membership(
            group=group,
            program=group.program,  # loaded with the group: its dates bound the joining date
            participant=addition.participant,
            role=addition.role,
            joined_on=joined_on,
        )
        membership.full_clean()
        chronology.require(membership)
        membership.save()
        created.append(membership)
    return created


def membership_add(
    *,
    group: ParticipantGroup,
    participant: Participant,
    role: str = Membership.Role.ANGGOTA,
    joined_on: datetime.date | None = None,
) -> Membership:
    (membership,) = group_roster_update(
        group=group, add=[MemberAddition(participant, role, joined_on)]
    )
    return membership


def membership_remove(*, membership: Membership) -> None:
    group_roster_update(group=membership.group, remove=[membership])


def participant_anonymise(*, participant: Participant) -> Participant:
    """Remove what identifies a person past the retention period; keep what the figures need.

    The row stays (memberships, groups and grants still count them), with its sex, birth year,
    kelurahan, income and household size; name, numbers, address, phone and notes go, and so do
    the old versions in its history, which hold the same personal data.
    """
    if participant.anonymised_at is not None:
        return participant
    number = f"00{participant.pk:014d}"  # province 00 exists nowhere: plainly not a real NIK
    households = {participant.kk_number, number}
    Participant.objects.filter(pk=participant.pk).update(
        nik=number,
        kk_number=number,
        full_name=f"Anonim {participant.pk}",
        birth_place="",
        birth_date=participant.birth_date.replace(month=1, day=1),
        address="",
        rt="000",
        rw="000",
        phone="",
        notes="",
        anonymised_at=timezone.now(),
    )
    participant.history.all().delete()
    participant.refresh_from_db()
    figures.changed(households=households)
    return participant
