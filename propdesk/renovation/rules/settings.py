"""The defaults of a project's renovation rules, in force until the PM first saves them (pure)."""

from datetime import time

DEFAULT_CHECKLIST = ["施工时间符合规定", "消防器材配备", "无违规动火", "垃圾袋装及时清运", "未改动承重结构",
                     "公共区域成品保护"]

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
