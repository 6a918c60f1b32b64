"""Work items of a renovation 装修项目 and the rules that refuse or flag them (pure: no models).

Three items are forbidden everywhere (load-bearing walls, gas pipes, the facade: 《住宅室内装饰装修管理办法》第五条);
closing the balcony is forbidden where the project bans it; the project may forbid more items and send others to the
PM with a flag."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class WorkItem:
    code: str
    label: str  # the handbooks' Chinese name (a term of the trade, shown as is)
    rule: str = ""  # the rule that forbids it everywhere; empty: allowed unless the project says otherwise


ITEMS: tuple[WorkItem, ...] = (
    WorkItem("wall_finish", "墙面装饰"),
    WorkItem("floor_finish", "地面铺装"),
    WorkItem("ceiling", "吊顶"),
    WorkItem("partition_wall", "拆改非承重墙"),
    WorkItem("bearing_wall", "拆改承重墙", rule=_("Load-bearing walls may never be removed or altered "
                                                   "(《住宅室内装饰装修管理办法》第五条).")),
    WorkItem("plumbing", "水路改造"),
    WorkItem("electrics", "电路改造"),
    WorkItem("gas_pipe", "燃气管道改移", rule=_("Gas pipes may only be moved by the gas company, never in a "
                                                 "renovation.")),
    WorkItem("windows_doors", "门窗更换"),
    WorkItem("facade", "外立面改动", rule=_("The facade and exterior walls may not be changed (管理规约).")),
    WorkItem("balcony_closing", "封闭阳台"),
    WorkItem("air_conditioner", "空调安装"),
    WorkItem("waterproofing", "防水"),
)
BY_CODE = {item.code: item for item in ITEMS}
CODES = tuple(BY_CODE)
BALCONY = "balcony_closing"


@dataclass(frozen=True)
class ItemVerdict:
    code: str
    label: str
    rule: str


@dataclass(frozen=True)
class ItemsCheck:
    refused: tuple[ItemVerdict, ...]
    flagged: tuple[ItemVerdict, ...]
    unknown: tuple[str, ...]


def label_of(code: str) -> str:
    item = BY_CODE.get(code)
    return str(item.label) if item else code


def items_check(codes, *, forbidden_items=(), flagged_items=(), balcony_closing_banned: bool = False) -> ItemsCheck:
    """What the chosen ``codes`` run into under the project's rules: refused items (with the rule), items flagged for
    the PM (with the reason), and codes that are no work item at all."""
    refused, flagged, unknown, seen = [], [], [], set()
    for code in codes:
        if code in seen:
            continue
        seen.add(code)
        item = BY_CODE.get(code)
        if item is None:
            unknown.append(code)
        elif item.rule:
            refused.append(ItemVerdict(code, str(item.label), str(item.rule)))
        elif code == BALCONY and balcony_closing_banned:
            refused.append(ItemVerdict(code, str(item.label), str(_("This project bans closing balconies "
                                                                   "(管理规约)."))))
        elif code in forbidden_items:
            refused.append(ItemVerdict(code, str(item.label), str(_("Forbidden by the project's renovation rules."))))
        elif code in flagged_items:
            flagged.append(ItemVerdict(code, str(item.label), str(_("The project's rules send this item to the "
                                                                   "project manager."))))
    return ItemsCheck(tuple(refused), tuple(flagged), tuple(unknown))
