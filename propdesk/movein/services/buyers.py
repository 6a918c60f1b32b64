"""Buyers 业主 before handover: entered by the project manager (or the desk), each with a personal link for the
handover SMS. The link is ``/my/handover/<token>/``: the token signs (buyer id, nonce); anything else is no buyer."""

from __future__ import annotations

from datetime import datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError
from propdesk.customers.services.residents import ResidentData, resident_validate
from propdesk.org.models import Room

from ..models import HandoverBuyer

SALT = "propdesk.movein.buyer-link"


def _fail(fields: dict[str, list[str]]):
    raise ApplicationError(_("Please correct the marked fields."), {"fields": fields})


def buyer_create(*, actor, room: Room, name: str, mobile: str, id_number: str = "",
                 now: datetime | None = None) -> HandoverBuyer:
    """Enter the buyer of ``room`` (in the actor's scope: the caller fetched it). The name, a mobile and, when
    given, an 18-character ID number are checked as the archive checks residents'. One buyer a home."""
    now = now or timezone.now()
    values, phones, errors = resident_validate(ResidentData(name=name, phones=[mobile], id_number=id_number))
    errors = {("mobile" if key == "phones" else key): messages for key, messages in errors.items()}
    if not phones and "mobile" not in errors:
        errors["mobile"] = [_("Enter the buyer's mobile: the handover SMS goes to it.")]
    elif phones and phones[0][1] != "mobile":
        errors["mobile"] = [_("Enter a mobile number (11 digits): the handover SMS goes to it.")]
    if HandoverBuyer.objects.filter(room=room).exists():
        errors["room"] = [_("%(code)s already has a buyer.") % {"code": room.code}]
    if errors:
        _fail(errors)
    try:
        with transaction.atomic():
            return HandoverBuyer.objects.create(project_id=room.project_id, building_id=room.building_id, room=room,
                                                name=values["name"], mobile=phones[0][0],
                                                id_number=values["id_number"], created_at=now, created_by=actor)
    except IntegrityError:
        _fail({"room": [_("%(code)s already has a buyer.") % {"code": room.code}]})


def buyer_token(buyer: HandoverBuyer) -> str:
    return signing.dumps({"b": buyer.pk, "n": buyer.nonce}, salt=SALT, compress=True)


def buyer_from_token(token: str) -> HandoverBuyer | None:
    """The buyer a link names, or None for a token that is wrong, tampered with or revoked."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("b"), int):
        return None
    buyer = HandoverBuyer.objects.select_related("room", "project", "building").filter(pk=data["b"]).first()
    if buyer is None or buyer.nonce != data.get("n"):
        return None
    return buyer


MAX_IMPORT = 500


@transaction.atomic
def buyers_import(*, actor, project, lines: list[str], rooms, now: datetime | None = None) -> list[HandoverBuyer]:
    """Enter many buyers at once from pasted lines ``房号,姓名,手机[,身份证号]`` (commas or tabs, as copied from a
    spreadsheet). All or nothing: any bad line refuses them all, each named by its line number. ``rooms`` is the
    caller's scoped Room queryset."""
    now = now or timezone.now()
    rows = [line.replace("\t", ",").replace("，", ",") for line in lines if line.strip()]
    if not rows:
        _fail({"lines": [_("Paste at least one line: home, name, mobile.")]})
    if len(rows) > MAX_IMPORT:
        _fail({"lines": [_("At most %(n)d lines at once.") % {"n": MAX_IMPORT}]})
    codes = [row.split(",")[0].strip() for row in rows]
    by_code = {room.code: room for room in rooms.filter(project=project, code__in=codes)}
    made, problems = [], []
    for number, row in enumerate(rows, start=1):
        parts = [part.strip() for part in row.split(",")]
        if len(parts) < 3:
            problems.append(_("Line %(n)d: write home, name, mobile.") % {"n": number})
            continue
        room = by_code.get(parts[0])
        if room is None:
            problems.append(_("Line %(n)d: no home %(code)s in this project.") % {"n": number, "code": parts[0]})
            continue
        try:
            with transaction.atomic():
                made.append(buyer_create(actor=actor, room=room, name=parts[1], mobile=parts[2],
                                         id_number=parts[3] if len(parts) > 3 else "", now=now))
        except ApplicationError as error:
            detail = "；".join(sum(error.field_errors.values(), []))
            problems.append(_("Line %(n)d: %(problem)s") % {"n": number, "problem": detail})
    if problems:
        _fail({"lines": problems[:20]})
    return made
