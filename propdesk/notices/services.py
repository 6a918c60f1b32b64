"""Every write on notices: publish (with an SMS to every resident in scope when urgent), withdraw, mark read, and
revise or re-target (an incident's updates). One transaction each; a retried publication (the form's token or the
API's Idempotency-Key) returns the first notice, and every message carries a dedupe key, so nothing is sent twice.

An urgent notice's SMS keeps the company's quiet hours (notify.rules.quiet_hours): written at 22:30 it goes at 08:00.
The handbooks ask that residents are not disturbed at rest; a notice is information, not someone at the door."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.notify.services import notify_many, outbox_add_many, outbox_cancel
from propdesk.org.models import Building, Project, Unit
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability
from propdesk.wording.services import wording_record

from . import rules, selectors
from .choices import NoticeScope
from .models import Notice, NoticeRead, NoticeTarget


@dataclass
class NoticeInput:
    kind: str
    title: str
    body: str
    scope: str
    building_ids: list = field(default_factory=list)
    unit_ids: list = field(default_factory=list)
    valid_from: datetime | None = None  # None: now
    valid_until: datetime | None = None  # None: until withdrawn
    expected_restore_at: datetime | None = None
    pinned: bool = False
    urgent: bool = False


def _messages() -> dict[tuple[str, str], str]:
    year = _("A notice may run at most a year ahead.")
    return {
        ("kind", "kind"): _("Choose what kind of notice this is."),
        ("title", "required"): _("Give the notice a title."),
        ("title", "too_long"): _("The title may have at most %(limit)d characters.") % {
            "limit": rules.LIMITS["title"]},
        ("body", "required"): _("Write the text of the notice."),
        ("body", "too_long"): _("The text may have at most %(limit)d characters.") % {"limit": rules.LIMITS["body"]},
        ("scope", "scope"): _("Choose who the notice is for: the whole project, buildings or units."),
        ("buildings", "no_buildings"): _("Choose at least one building."),
        ("units", "no_units"): _("Choose at least one unit."),
        ("valid_from", "too_early"): _("A notice may start at most 7 days in the past."),
        ("valid_from", "too_late"): year,
        ("valid_until", "before_start"): _("The end must be after the start."),
        ("valid_until", "too_late"): year,
        ("expected_restore_at", "too_late"): year,
    }


def _check_actor(actor) -> None:
    if not user_can(actor, Capability.PUBLISH_NOTICES):
        raise PermissionDenied(_("Your role may not publish notices."))


def _fail(errors: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})


def _ids(values, name: str, errors: dict) -> set[int]:
    ids = set()
    for value in values or ():
        text = str(value).strip()
        if not text.isdigit() or len(text) > 18:
            errors[name] = [_("A chosen building is not in this project.") if name == "buildings"
                            else _("A chosen unit is not in this project.")]
            return set()
        ids.add(int(text))
    return ids


def _targets(project: Project, data: NoticeInput, errors: dict) -> list[NoticeTarget]:
    """The target rows of the chosen scope; a building or unit of another project (or none such) is a field
    error that names no other project's data."""
    if data.scope == NoticeScope.PROJECT:
        return [NoticeTarget(project=project)]
    if data.scope == NoticeScope.BUILDINGS:
        ids = _ids(data.building_ids, "buildings", errors)
        found = list(Building.objects.filter(project=project, pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(ids):
            errors["buildings"] = [_("A chosen building is not in this project.")]
        return [NoticeTarget(project=project, building_id=pk) for pk in sorted(found)]
    if data.scope == NoticeScope.UNITS:
        ids = _ids(data.unit_ids, "units", errors)
        found = list(Unit.objects.filter(project=project, pk__in=ids).values_list("pk", flat=True))
        if len(found) != len(ids):
            errors["units"] = [_("A chosen unit is not in this project.")]
        return [NoticeTarget(project=project, unit_id=pk) for pk in sorted(found)]
    return []


def _validate(project: Project, data: NoticeInput, now: datetime) -> list[NoticeTarget]:
    draft = rules.Draft(kind=data.kind, scope=data.scope, title=data.title or "", body=data.body or "",
                        valid_from=data.valid_from or now, valid_until=data.valid_until,
                        buildings=len(data.building_ids or ()), units=len(data.unit_ids or ()),
                        expected_restore_at=data.expected_restore_at)
    words = _messages()
    errors = {name: [words[(name, code)]] for name, code in rules.problems(draft, now=now).items()}
    targets = _targets(project, data, errors) if "scope" not in errors else []
    if errors:
        _fail(errors)
    return targets


def _in_scope(actor, project: Project) -> None:
    if not Project.objects.restrict(actor).filter(pk=project.pk).exists():
        _fail({"project": [_("No such project in your scope.")]})


def _sms_key(notice: Notice, phone: str, version: int | None = None) -> str:
    return f"notice:{notice.pk}:" + (f"v{version}:" if version else "") + f"sms:{phone}"


@transaction.atomic
def notice_publish(*, project: Project, data: NoticeInput, actor, idempotency_key: str = "",
                   now: datetime | None = None) -> Notice:
    """Publish a notice to the project, chosen buildings or chosen units. Urgent: one SMS per resident in scope with
    a mobile (template notice_urgent), outside quiet hours. A retried call with the same key returns the first."""
    _check_actor(actor)
    now = now or timezone.now()
    key = (idempotency_key or "").strip()[:100]
    if key:
        existing = Notice.objects.filter(published_by=actor, idempotency_key=key).first()
        if existing is not None:
            return existing
    _in_scope(actor, project)
    targets = _validate(project, data, now)
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                project=project, kind=data.kind, scope=data.scope, title=data.title.strip(), body=data.body.strip(),
                valid_from=data.valid_from or now, valid_until=data.valid_until,
                expected_restore_at=data.expected_restore_at, pinned=data.pinned, urgent=data.urgent,
                published_by=actor, published_at=now, idempotency_key=key)
    except IntegrityError:  # the same key, published a moment ago by a concurrent retry
        return Notice.objects.get(published_by=actor, idempotency_key=key)
    for target in targets:
        target.notice = notice
    NoticeTarget.objects.bulk_create(targets)
    wording_record(user=actor, project=project, source="notice", source_id=notice.pk,
                   text=f"{notice.title}\n{notice.body}", now=now)
    if notice.urgent:
        params = {"project": project.name, "title": notice.title}
        notice.sms_queued = outbox_add_many(
            channel="sms", template="notice_urgent", project=project, now=now,
            messages=[(phone, _sms_key(notice, phone), params)
                      for phone in selectors.audience_mobiles(notice=notice, now=now)])
        notice.save(update_fields=["sms_queued"])
    return notice


def _lock(notice: Notice) -> Notice:
    return Notice.objects.select_for_update(of=("self",)).select_related("project").get(pk=notice.pk)


@transaction.atomic
def notice_withdraw(*, notice: Notice, actor, now: datetime | None = None) -> Notice:
    """Take the notice down (kept for the record, never deleted); its SMS still waiting for the morning are not sent."""
    _check_actor(actor)
    now = now or timezone.now()
    notice = _lock(notice)
    if notice.withdrawn_at is not None:
        raise ApplicationError(_("This notice was withdrawn already."), status_code=409)
    notice.withdrawn_by, notice.withdrawn_at = actor, now
    notice.save(update_fields=["withdrawn_by", "withdrawn_at"])
    outbox_cancel(key_prefix=f"notice:{notice.pk}:", reason="notice withdrawn")
    return notice


@transaction.atomic
def notice_mark_read(*, notice: Notice, user, now: datetime | None = None) -> bool:
    """Record that the resident read the notice's current version; True when that is new."""
    now = now or timezone.now()
    row, created = NoticeRead.objects.get_or_create(notice=notice, user=user,
                                                    defaults={"version": notice.version, "read_at": now})
    if created:
        return True
    if row.version != notice.version:
        NoticeRead.objects.filter(pk=row.pk).update(version=notice.version, read_at=now)
        return True
    return False


UNCHANGED = object()


def _revision_text(old_body: str, body: str, update_text: str) -> str:
    """What a revision sends that was not checked before: the update and the body if it changed — once when the
    body holds the update."""
    update_text = (update_text or "").strip()
    body = body if body != old_body else ""
    if update_text and update_text in body:
        return body
    return "\n".join(part for part in (update_text, body) if part)


@transaction.atomic
def notice_revise(*, notice: Notice, actor, body: str, update_text: str, sms: bool = False,
                  expected_restore_at=UNCHANGED, end: bool = False, skip_user_ids=(), skip_phones=(),
                  wording: bool = True, now: datetime | None = None) -> int:
    """A new version of the notice (an incident's update): the text and the expected restore time change, it is
    unread again for everyone, and every resident in scope with a login gets ``update_text`` in their inbox (and,
    with ``sms``, an SMS to every mobile in scope, outside quiet hours) — except ``skip_user_ids`` / ``skip_phones``,
    told already by other means. ``end`` ends its validity now (the incident is over). A withdrawn notice is
    revised but tells no one. Returns how many residents were told.

    What remains of the service-language check in the new text (the update, and the body where it changed) is
    recorded as the notice's, as publishing does; ``wording`` False when the caller records the text as its own (an
    incident's update is counted once, as the incident's)."""
    _check_actor(actor)
    now = now or timezone.now()
    notice = _lock(notice)
    old_body = notice.body
    notice.body = body.strip()[: rules.LIMITS["body"]]
    if expected_restore_at is not UNCHANGED:
        notice.expected_restore_at = expected_restore_at
    if end and (notice.valid_until is None or notice.valid_until > now):
        notice.valid_from, notice.valid_until = min(notice.valid_from, now), now
    notice.version += 1
    notice.revised_at = now
    notice.save(update_fields=["body", "expected_restore_at", "valid_from", "valid_until", "version", "revised_at"])
    if notice.withdrawn_at is not None:
        return 0
    if wording:  # sent: what remained of the check is counted (a withdrawn notice sends nothing)
        wording_record(user=actor, project=notice.project, source="notice", source_id=notice.pk, now=now,
                       text=_revision_text(old_body, notice.body, update_text))
    skip_users, skip_numbers = set(skip_user_ids), set(skip_phones)
    users = [uid for uid in selectors.audience_user_ids(notice=notice, now=now) if uid not in skip_users]
    told = notify_many(kind="notice_update", title=f"{notice.title}：{update_text}"[:200], body=update_text,
                       url=notice.url, recipients=[(uid, f"notice:{notice.pk}:v{notice.version}:inbox:{uid}")
                                                   for uid in users])
    if sms:
        params = {"title": notice.title, "text": update_text}
        told += outbox_add_many(
            channel="sms", template="notice_update", project=notice.project, now=now,
            messages=[(phone, _sms_key(notice, phone, notice.version), params)
                      for phone in selectors.audience_mobiles(notice=notice, now=now) if phone not in skip_numbers])
    return told


@transaction.atomic
def notice_retarget(*, notice: Notice, scope: str, building_ids=(), unit_ids=(), actor,
                    now: datetime | None = None) -> Notice:
    """Change who the notice is for (an incident's affected scope corrected); same checks as publishing."""
    _check_actor(actor)
    now = now or timezone.now()
    notice = _lock(notice)
    data = NoticeInput(kind=notice.kind, title=notice.title, body=notice.body, scope=scope,
                       building_ids=list(building_ids), unit_ids=list(unit_ids), valid_from=notice.valid_from,
                       valid_until=notice.valid_until)
    errors: dict[str, list[str]] = {}
    if scope not in rules.SCOPES:
        errors["scope"] = [_messages()[("scope", "scope")]]
    elif scope == NoticeScope.BUILDINGS and not building_ids:
        errors["buildings"] = [_messages()[("buildings", "no_buildings")]]
    elif scope == NoticeScope.UNITS and not unit_ids:
        errors["units"] = [_messages()[("units", "no_units")]]
    targets = _targets(notice.project, data, errors) if not errors else []
    if errors:
        _fail(errors)
    NoticeTarget.objects.filter(notice=notice).delete()
    for target in targets:
        target.notice = notice
    NoticeTarget.objects.bulk_create(targets)
    notice.scope = scope
    notice.save(update_fields=["scope"])
    return notice
