"""The defaults of a project's renovation rules, in force until the PM first saves them (pure)."""

from datetime import time

# What a steward checks on every renovation inspection until the PM sets the project's own list.
DEFAULT_CHECKLIST = [
    "施工时间符合规定",
    "消防安全（灭火器、电焊动火审批）",
    "垃圾清运（袋装，不堆放楼道）",
    "结构安全（未动承重墙、外立面）",
    "出入证（施工人员佩戴出入证）",
    "公共区域保护",
]

DEFAULTS = {
    "forbidden_items": [],
    "flagged_items": ["partition_wall", "plumbing", "windows_doors", "waterproofing"],
    "balcony_closing_banned": False,
    "work_start": time(8, 0),
    "work_end": time(18, 0),
    "noon_quiet_start": time(12, 0),
    "noon_quiet_end": time(14, 0),
    "quiet_days": [],
    "max_days": 90,
    "deposit_fen": 300000,
    "fee_fen": 50000,
    "inspect_every_days": 1,
    "checklist": DEFAULT_CHECKLIST,
}
