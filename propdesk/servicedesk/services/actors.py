"""What the work-order and payment services both ask of an actor and a signature (a lower layer: both import it,
neither imports the other for it)."""

from propdesk.staff.permissions import user_role

from ..models import WorkOrder
from ..rules.transitions import DEPARTMENT_HEAD, DISPATCH_RULE

MAX_SIGNATURE_BYTES = 300_000


def actor_context(actor, work_order: WorkOrder) -> dict:
    """The actor's relation to the order, as rules/transitions.check wants it. No actor: the project's dispatch
    rules (services/dispatch.request_dispatch_by_rule for a request reported in the resident app)."""
    if actor is None:
        return {"actor_roles": frozenset({DISPATCH_RULE}), "is_assignee": False, "is_department_member": False}
    role = user_role(actor)
    roles = {role} if role else set()
    department = work_order.department
    if department.head_id and department.head_id == actor.pk:
        roles.add(DEPARTMENT_HEAD)
    profile = getattr(actor, "staff_profile", None)
    return {
        "actor_roles": frozenset(roles),
        "is_assignee": work_order.assignee_id is not None and work_order.assignee_id == actor.pk,
        "is_department_member": bool(profile and profile.department_id == work_order.department_id),
    }



def is_png_data_url(value: str) -> bool:
    """A signature drawn on the phone: a PNG data URL that decodes to an image, within the size limit."""
    import base64
    import binascii
    import io

    from PIL import Image, UnidentifiedImageError

    prefix = "data:image/png;base64,"
    if not value.startswith(prefix) or len(value) > MAX_SIGNATURE_BYTES:
        return False
    try:
        with Image.open(io.BytesIO(base64.b64decode(value[len(prefix):], validate=True))) as image:
            image.verify()
            return image.format == "PNG"
    except (binascii.Error, UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return False
