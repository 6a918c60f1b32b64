"""API: Work logs and duty logs 工作日志 / 值班记录, handover 交接班, the supervisor's comments 批示."""

from ninja import Router

router = Router(tags=["duty"])
