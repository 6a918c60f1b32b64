"""Work and duty logs of the demo 工作日志 / 值班记录: in every project, a month of duty logs of engineering (day and
night shifts) and security (day shift), and the stewards' daily work logs. Logs older than yesterday are submitted,
handed over and almost all signed, a third with the manager's comments 批示. Yesterday's logs are submitted, a few
signed, with open matters carried (延续) into today's drafts; yesterday's engineering night shift log has not been
acknowledged, so today's day shift shows it unread. Written with bulk_create, one day at a time."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from propdesk.console.demo.spec import staff_username
from propdesk.duty.models import Log, LogComment, LogItem, ShiftKind
from propdesk.duty.rules.logs import chain_key
from propdesk.org.models import Department, Project

DAYS = 30
ZONE = ZoneInfo("Asia/Shanghai")

ENGINEERING_BODIES = (
    "巡查配电房、水泵房、电梯机房，设备运行正常，记录各项读数。",
    "处理{b}栋{f}楼公共走道灯不亮，已更换灯管。",
    "{b}栋地下车库排水沟堵塞，已疏通；2号集水井水泵自动启停正常。",
    "接报修3宗：{b}栋厨房水管渗漏、门铃失灵、卫生间地漏返味，已全部上门处理。",
    "消防水泵例行试运行，压力正常；{b}栋消防栓箱玻璃破损已登记。",
    "{b}栋电梯困人演练配合维保单位完成，用时8分钟。",
)
NIGHT_BODIES = (
    "夜间巡查设备房两次，无异常。",
    "凌晨{b}栋{f}楼业主报水管爆裂，已关闭分户阀门并抢修，次日需更换管件。",
    "夜间停电12分钟（市电波动），发电机未启动，来电后检查电梯均恢复正常。",
    "夜间接报修1宗：{b}栋楼道感应灯常亮，已调整。",
)
SECURITY_BODIES = (
    "岗位交接正常；外来访客登记{n}人次，快递外卖按规定在门岗放置。",
    "地库巡逻4次，发现{b}栋消防通道堆放杂物，已通知业主清理。",
    "南门道闸故障30分钟，人工放行，已报工程部维修。",
    "夜间巡逻发现{b}栋单元门未关闭，已关好并记录。",
)
STEWARD_BODIES = (
    "上午巡查责任区{b}栋、{c}栋，消防器材、照明正常；下午走访{b}栋{f}0{u}室业主，了解到家中老人行动不便。",
    "催缴物业费5户，其中2户承诺月底缴清；检查空置房{c}栋{f}0{u}室门窗水电。",
    "审批{b}栋{f}0{u}室装修申请，巡查在装户3户，均按规定施工。",
    "接待业主来访2人次：{b}栋车位噪音、{c}栋宠物扰民，已分别处理并回复。",
    "陪同工程部查看{b}栋外墙渗水，已拍照留存并报修。",
)
MATTERS = (
    "{b}栋{f}楼灭火器压力不足待更换", "{b}栋单元门禁刷卡失灵", "{c}栋{f}0{u}室业主反映楼上漏水",
    "地库B1层照明3盏不亮", "{b}栋外墙渗水待维保单位复查", "{c}栋{f}0{u}室装修垃圾未清运",
    "2号泵房阀门渗漏待换件", "南门道闸杆动作缓慢",
)
COMMENTS = (
    "已阅。漏水问题今天内落实维修，并回访业主。", "请跟进门禁维修进度，周五前反馈。", "记录详实，继续保持。",
    "消防通道杂物要拍照留证，再次发现通报物业部。", "老人独居户纳入每月拜访计划。", "已阅，按时完成。",
)


def _at(day: date, clock: time) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZONE)


def _shift(project, department, name, starts, ends) -> ShiftKind:
    shift, _created = ShiftKind.objects.get_or_create(project=project, department=department, name=name,
                                                      defaults={"starts": starts, "ends": ends})
    return shift


def build_logs(plan, *, today: date, stdout=None) -> dict[str, int]:
    rng = random.Random(getattr(plan, "seed", 13) * 1013)
    users = {u.username: u for u in get_user_model().objects.filter(username__contains="_")}
    counts = {"logs": 0, "items": 0, "comments": 0}
    for project in Project.objects.order_by("id"):
        code = project.code

        def user(prefix, code=code):
            return users.get(staff_username(prefix, code))

        pm, agent = user("pm"), user("agent")
        if pm is None or agent is None:
            continue
        eng = Department.objects.filter(project=project, kind="engineering").first()
        sec = Department.objects.filter(project=project, kind="security").first()
        series = []  # (chain, kind, department, shift or None, authors by day parity, bodies, signer)
        if eng and user("tech"):
            day_shift = _shift(project, eng, "白班", time(8), time(20))
            night_shift = _shift(project, eng, "夜班", time(20), time(8))
            series.append(("eng_day", eng, day_shift, [user("tech"), user("tech2") or user("tech")],
                           ENGINEERING_BODIES))
            series.append(("eng_night", eng, night_shift, [user("tech3") or user("tech"), user("tech")],
                           NIGHT_BODIES))
        if sec and user("security"):
            series.append(("sec_day", sec, _shift(project, sec, "白班", time(8), time(20)), [user("security")],
                           SECURITY_BODIES))
        for prefix in ("steward", "steward2"):
            if user(prefix):
                series.append((prefix, None, None, [user(prefix)], STEWARD_BODIES))
        counts_here = _write_series(rng, project, series, pm=pm, agent=agent, today=today)
        for key, value in counts_here.items():
            counts[key] += value
    if stdout is not None:
        stdout.write(f"Logs: {counts['logs']} logs, {counts['items']} open matters, {counts['comments']} comments\n")
    return counts


def _fill(rng, text: str) -> str:
    return text.format(b=rng.choice("12356789"), c=rng.choice("12356789"), f=rng.randint(2, 26), u=rng.randint(1, 4),
                       n=rng.randint(12, 60))


def _write_series(rng, project, series, *, pm, agent, today: date) -> dict[str, int]:
    counts = {"logs": 0, "items": 0, "comments": 0}
    previous: dict[str, Log] = {}
    open_items: dict[str, list[LogItem]] = {}
    for offset in range(DAYS, -1, -1):
        day = today - timedelta(days=offset)
        logs = []
        for key, department, shift, authors, bodies in series:
            author = authors[offset % len(authors)]
            if shift is None and day.weekday() == 6:  # stewards rest on Sundays
                continue
            if offset == 0 and shift is not None and shift.overnight:  # tonight's shift has not begun
                continue
            if shift is not None:
                starts = _at(day, shift.starts)
                ends = _at(day + timedelta(days=1) if shift.overnight else day, shift.ends)
                kind, chain = "duty", chain_key(kind="duty", project_id=project.pk, department_id=department.pk)
            else:
                starts, ends = _at(day, time.min), _at(day + timedelta(days=1), time.min)
                kind, chain = "work", chain_key(kind="work", project_id=project.pk, author_id=author.pk)
            before = previous.get(key)
            is_today, is_yesterday = offset == 0, offset == 1
            status = "draft" if is_today else ("submitted" if is_yesterday and rng.random() < 0.6 else "signed")
            if not is_today and not is_yesterday and rng.random() < 0.08:
                status = "submitted"  # a few old logs nobody signed
            signer = agent if kind == "work" else pm
            log = Log(project=project, kind=kind, chain=chain, author=author, department=department, shift=shift,
                      day=day, starts_at=starts, ends_at=ends, previous=before, status=status,
                      body="" if is_today else _fill(rng, rng.choice(bodies)),
                      submitted_at=None if is_today else ends - timedelta(minutes=10),
                      signed_at=_at(day + timedelta(days=1), time(9, 30)) if status == "signed" else None,
                      signed_by=signer if status == "signed" else None)
            log._series = key
            logs.append(log)
        _chain_duty_previous(logs, previous)
        for phase in ([log for log in logs if log._series != "eng_night"],
                      [log for log in logs if log._series == "eng_night"]):  # a night shift after its day shift
            Log.objects.bulk_create(phase)
            new_items, comments = _matters(rng, phase, open_items, pm=pm)
            LogItem.objects.bulk_create(new_items)
            LogComment.objects.bulk_create(comments)
            counts["items"] += len(new_items)
            counts["comments"] += len(comments)
            previous.update({log._series: log for log in phase})
        counts["logs"] += len(logs)
    _hand_over(project, pm=pm, today=today)
    return counts


def _matters(rng, logs: list[Log], open_items: dict, *, pm) -> tuple[list[LogItem], list[LogComment]]:
    """Each log's matters: those still open in its series carried over (some done now), sometimes a new one;
    a third of the submitted logs get a comment from the project manager."""
    new_items, comments = [], []
    for log in logs:
        key = log._series.split("_")[0]  # engineering's day and night shifts share their open matters
        carried = open_items.get(key, [])
        still_open = []
        for position, item in enumerate(carried):
            done = log.status != "draft" and rng.random() < 0.35
            copy = LogItem(log=log, position=position, text=item.text, request_number=item.request_number,
                           started_on=item.started_on, carried_from=item, done=done)
            new_items.append(copy)
            if not done:
                still_open.append(copy)
        if log.status != "draft" and rng.random() < 0.45:
            fresh = LogItem(log=log, position=len(carried), text=_fill(rng, rng.choice(MATTERS)), started_on=log.day)
            new_items.append(fresh)
            still_open.append(fresh)
        open_items[key] = still_open[-4:]
        if log.status != "draft" and rng.random() < 0.33:
            comments.append(LogComment(log=log, author=pm, body=rng.choice(COMMENTS),
                                       created_at=_at(log.day + timedelta(days=1), time(9, 20))))
    return new_items, comments


def _chain_duty_previous(logs: list[Log], previous: dict[str, Log]) -> None:
    """Engineering's day and night shifts are one series (one department): the day shift takes over from the last
    night shift, the night shift from that day's day shift."""
    by_key = {log._series: log for log in logs}
    if "eng_day" in by_key:
        by_key["eng_day"].previous = previous.get("eng_night") or previous.get("eng_day")
    if "eng_night" in by_key:
        by_key["eng_night"].previous = by_key.get("eng_day") or previous.get("eng_night")


def _hand_over(project, *, pm, today: date) -> None:
    """Every submitted duty log was acknowledged by the author of the log after it, an hour after that shift
    started — except yesterday's engineering night shift, which today's day shift has not read yet. The security
    guard writes every day shift; the project manager reads their log at the morning meeting."""
    duty = list(Log.objects.filter(project=project, kind="duty").exclude(status="draft")
                .select_related("shift"))
    following = {log.previous_id: log for log in Log.objects.filter(project=project, kind="duty",
                                                                     previous__isnull=False)}
    changed = []
    for log in duty:
        after = following.get(log.pk)
        if after is None or (log.day == today - timedelta(days=1) and log.shift.name == "夜班"):
            continue
        log.acknowledged_by = after.author if after.author_id != log.author_id else pm
        log.acknowledged_at = after.starts_at + timedelta(minutes=15)
        changed.append(log)
    Log.objects.bulk_update(changed, ["acknowledged_by", "acknowledged_at"])
