"""The project's published price list for paid repairs (收费标准). Kept by the project manager."""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from propdesk.core.errors import ApplicationError, PermissionDenied
from propdesk.org.models import Project
from propdesk.staff.permissions import user_can
from propdesk.staff.rules.roles import Capability

from ..models import PriceItem

MAX_PRICE = Decimal("99999.99")

# What a typical residential project charges for in-home repairs (materials the resident buys are extra).
DEFAULT_ITEMS = [
    ("上门检测费", "次", "20.00"),
    ("更换水龙头阀芯", "个", "30.00"),
    ("更换水龙头", "个", "50.00"),
    ("更换角阀", "个", "35.00"),
    ("更换软管", "根", "20.00"),
    ("更换马桶水箱配件", "套", "60.00"),
    ("疏通马桶", "次", "80.00"),
    ("疏通下水道（户内）", "次", "80.00"),
    ("更换水管", "米", "25.00"),
    ("厨卫打胶", "米", "10.00"),
    ("更换灯泡/灯管", "个", "10.00"),
    ("更换灯具", "个", "40.00"),
    ("更换开关/插座面板", "个", "20.00"),
    ("更换空气开关", "个", "40.00"),
    ("户内线路检修", "次", "60.00"),
    ("更换门锁锁芯", "个", "80.00"),
    ("更换门合页", "个", "15.00"),
    ("更换窗户密封条", "米", "8.00"),
    ("安装晾衣架", "套", "80.00"),
    ("安装窗帘杆", "套", "40.00"),
]


def _check_actor(actor) -> None:
    if not user_can(actor, Capability.EDIT_ORG):
        raise PermissionDenied(_("Only the project manager may change the price list."))


def parse_price(raw) -> Decimal | None:
    try:
        value = Decimal(str(raw).strip().replace("¥", "").replace(",", ""))
    except (InvalidOperation, ValueError):
        return None
    if not value.is_finite() or value < 0 or value > MAX_PRICE or value != value.quantize(Decimal("0.01")):
        return None
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def price_item_save(*, project: Project, actor, name: str, unit: str, price, active: bool = True,
                    item: PriceItem | None = None) -> PriceItem:
    """Add an item to the project's price list, or change one. A quote already made keeps the price it was made at."""
    _check_actor(actor)
    errors: dict[str, list[str]] = {}
    name, unit = (name or "").strip(), (unit or "").strip()
    if not name:
        errors["name"] = [_("Name the item.")]
    if not unit:
        errors["unit"] = [_("Give the unit, e.g. 个, 次 or 米.")]
    value = parse_price(price)
    if value is None:
        errors["price"] = [_("Enter a price in yuan, e.g. 30 or 12.50.")]
    if item is not None and item.project_id != project.pk:
        raise ApplicationError(_("This item belongs to another project."), status_code=404)
    clash = PriceItem.objects.filter(project=project, name=name).exclude(pk=item.pk if item else None)
    if name and clash.exists():
        errors["name"] = [_("“%(name)s” is already on the price list.") % {"name": name}]
    if errors:
        raise ApplicationError(_("Please correct the marked fields."), {"fields": errors})
    item = item or PriceItem(project=project)
    item.name, item.unit, item.price, item.active = name, unit, value, active
    item.save()
    return item


@transaction.atomic
def price_list_add_defaults(*, project: Project, actor) -> int:
    """Offer the usual items: adds those the project does not list yet (by name), returns how many were added."""
    _check_actor(actor)
    existing = set(PriceItem.objects.filter(project=project).values_list("name", flat=True))
    new = [PriceItem(project=project, name=name, unit=unit, price=Decimal(price))
           for name, unit, price in DEFAULT_ITEMS if name not in existing]
    PriceItem.objects.bulk_create(new)
    return len(new)
