"""The history's clock and labels: its random stream, size and time zone, what the timeline says, the signature."""

from __future__ import annotations

import base64
import math
import struct
import zlib
from datetime import timedelta
from zoneinfo import ZoneInfo

from propdesk.console.demo.spec import PROJECT_DEPARTMENTS

SEED_OFFSET = 1_000_003  # the history draws from its own random stream: the rest of the demo stays as it was
REQUESTS_PER_YEAR = 20_000  # at scale 1.0, across the four projects
DAYS = 365
RECENT_DAYS = 14  # the window that still holds live work
TZ = ZoneInfo("Asia/Shanghai")
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
SWEEP_DELAY = timedelta(seconds=30)  # the sweep runs every minute

LIVE = frozenset({"pending", "pooled", "dispatched", "accepted", "on_site", "on_hold"})
FINAL = frozenset({"completed", "cancelled"})
WAITING = frozenset({"pending", "pooled", "dispatched"})

CHANNEL_LABELS = {"phone": "电话", "hotline": "400热线", "walk_in": "来访", "app": "APP", "wechat": "微信",
                  "letter": "信函", "staff": "员工代报", "patrol": "巡查"}
STATUS_LABELS = {"open": "待处理", "in_progress": "处理中", "resolved": "已处理待答复", "closed": "已关闭",
                 "cancelled": "已撤销"}
WHO_LABELS = {"assignee": "处理人", "department_head": "部门负责人", "project_manager": "项目经理",
              "branch_leader": "分公司领导", "dispatcher": "派单人", "quality": "品质管理部"}
DEPARTMENT_LABELS = dict(PROJECT_DEPARTMENTS)


def _signature_png() -> str:
    """A tiny drawn signature (a squiggle, 64×20 grey PNG) as a data URL, the form the technician's phone sends."""
    width, height = 64, 20
    rows = []
    for y in range(height):
        row = bytearray([0])  # filter: none
        for x in range(width):
            ink = abs(y - (10 + 6 * math.sin(x / 5.0) * math.cos(x / 17.0))) < 1.2 and 4 < x < 60
            row.append(40 if ink else 255)
        rows.append(bytes(row))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
           + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))
    return "data:image/png;base64," + base64.b64encode(png).decode()


SIGNATURE = _signature_png()
