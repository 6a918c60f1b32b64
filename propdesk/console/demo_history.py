"""A year of service-desk history for the demo: about 20,000 requests 报事 at scale 1.0 with their work orders and
timelines, so that queues, reports and the customer 360 page have something real to show.

Like the rest of the demo it is two phases. :func:`plan_history` is pure Python over the demo plan (residents, rooms,
common areas, staff) and ``random.Random(seed + SEED_OFFSET)``: for every request it decides who called, about what,
when, and then the whole life of its work orders — dispatch, accept, arrive, hold and resume, complete, the reply —
as a list of steps. Replaying those steps up to "as of" (midnight starting ``today``) gives the rows exactly as the
services would have left them: the same fields, the same timeline entries (with status changes derived by
``rules/transitions.request_state_from``), and the escalations the deadline sweep would have sent, rung by rung
(``rules/escalation``). Deadlines come from ``rules/sla.compute_deadlines`` on one working calendar with the handbook
defaults, which is what ``services/policy.policy_for`` gives the demo company (it has no ServicePolicy and no
WorkingHours of its own). :func:`build_history` writes the plan with ``bulk_create`` in batches, inside the demo's
transaction, and sets the request-number counters so that new requests continue after the demo's.

What the year looks like: more requests on weekday mornings and evenings, few at night; a summer peak (air
conditioners, leaks in the plum-rain season, mosquitoes), a Spring Festival dip. Requests older than a few days are
closed; the last two weeks hold open, in-progress and overdue work (a few orders per project are stalled past their
deadline, so the overdue queue shows real rows), and only those live rows carry a ``next_escalation_at``.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import math
import random
import struct
import time as clock
import zlib
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

import chinese_calendar
from django.contrib.auth import get_user_model
from django.db import reset_queries

from propdesk.console.demo import BATCH, PROJECT_DEPARTMENTS, DemoPlan, OccupancyPlan, PersonPlan, RoomPlan
from propdesk.core.models import Counter
from propdesk.org.models import CommonArea, Department, Project
from propdesk.servicedesk.models import ServiceRequest, TimelineEvent, WorkOrder
from propdesk.servicedesk.rules import escalation, numbers, sla
from propdesk.servicedesk.rules.calendar import WorkingCalendar
from propdesk.servicedesk.rules.transitions import WorkOrderState, request_state_from

SEED_OFFSET = 1_000_003  # the history draws from its own random stream: the rest of the demo stays as it was
REQUESTS_PER_YEAR = 20_000  # at scale 1.0, across the four projects
DAYS = 365
CHUNK = 2_000  # requests written per round of bulk_create (keeps memory flat)
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

# --- what residents report ----------------------------------------------------------------------------------------

# Month multipliers (January first) for subjects that come with the season.
SEASONS = {
    "": (1.0,) * 12,
    "summer": (0.3, 0.3, 0.5, 0.8, 1.4, 2.3, 3.0, 3.0, 2.0, 0.9, 0.4, 0.3),  # air conditioners, mosquitoes, rubbish
    "rainy": (0.5, 0.6, 0.9, 1.1, 1.4, 2.7, 2.4, 1.8, 1.3, 0.8, 0.6, 0.5),  # 梅雨 in June and July, autumn storms
    "typhoon": (0.2, 0.2, 0.4, 0.6, 0.8, 1.2, 2.2, 3.0, 2.4, 1.0, 0.3, 0.2),
    "fee": (2.4, 1.2, 0.8, 0.8, 0.8, 1.0, 1.2, 0.9, 0.8, 0.8, 1.0, 2.2),  # the annual fee bill in December
    "reno": (0.6, 0.5, 1.4, 1.5, 1.4, 1.0, 0.8, 0.8, 1.3, 1.4, 1.2, 0.8),  # renovations after the holidays
    "festival": (1.0, 0.8, 0.5, 0.5, 0.6, 0.8, 0.8, 2.2, 2.6, 1.0, 0.6, 1.4),  # mid-autumn and new-year activities
}
MONTH_VOLUME = (0.88, 0.85, 0.95, 1.0, 1.02, 1.12, 1.25, 1.25, 1.08, 0.95, 0.92, 0.92)
KIND_WEIGHTS = {"repair": 55, "inquiry": 20, "complaint": 8, "help": 7, "suggestion": 5, "praise": 5}
CHANNELS = {
    "repair": {"phone": 30, "hotline": 14, "app": 17, "wechat": 14, "walk_in": 8, "staff": 6, "patrol": 11},
    "inquiry": {"phone": 38, "hotline": 20, "app": 10, "wechat": 14, "walk_in": 18},
    "complaint": {"phone": 34, "hotline": 24, "app": 8, "wechat": 12, "walk_in": 16, "letter": 6},
    "help": {"phone": 58, "hotline": 18, "wechat": 10, "walk_in": 10, "app": 4},
    "suggestion": {"app": 25, "wechat": 28, "walk_in": 14, "letter": 15, "phone": 18},
    "praise": {"phone": 30, "wechat": 24, "app": 8, "walk_in": 22, "letter": 16},
}
# Calls by hour of day (0–23): a morning peak, a lunch dip, an evening peak after work, little at night.
HOURS_WEEKDAY = (0.15, 0.08, 0.05, 0.05, 0.05, 0.1, 0.3, 0.8, 1.6, 2.2, 2.0, 1.6, 0.9, 1.0, 1.4, 1.4, 1.3, 1.3, 1.5,
                 1.9, 1.8, 1.2, 0.6, 0.3)
HOURS_WEEKEND = (0.2, 0.1, 0.06, 0.05, 0.05, 0.08, 0.2, 0.5, 1.0, 1.6, 1.9, 1.7, 1.1, 1.1, 1.4, 1.4, 1.3, 1.2, 1.3,
                 1.6, 1.6, 1.1, 0.6, 0.3)
HOURS_URGENT = (0.6, 0.4, 0.3, 0.3, 0.3, 0.4, 0.7, 1.0, 1.2, 1.3, 1.2, 1.1, 1.0, 1.0, 1.1, 1.1, 1.1, 1.2, 1.4, 1.5,
                1.5, 1.3, 1.0, 0.8)
HOURS_OFFICE = (0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.6, 1.8, 1.4, 0.5, 0.8, 1.4, 1.5, 1.4, 0.8, 0, 0, 0, 0, 0, 0)
PATROL_WINDOWS = ((9 * 60 + 15, 11 * 60 + 15), (14 * 60 + 45, 17 * 60 + 15))  # 9:30–11:00, 15:00–17:00 ±15 min
EMOTIONS = {
    "complaint": {"calm": 45, "angry": 30, "anxious": 12, "loud": 10, "sad": 3},
    "urgent": {"calm": 50, "anxious": 44, "angry": 5, "loud": 1},
    "praise": {"calm": 100},
    "": {"calm": 86, "anxious": 9, "angry": 3, "sad": 1, "loud": 1},
}


@dataclass(frozen=True)
class Subject:
    kind: str
    key: str  # short label, used in replies
    texts: tuple[str, ...]  # what the resident says (the description)
    weight: float = 1.0
    # Where: "room" (the reporter's home), "stairwell", "elevator", "unit_door" (of the reporter's building), or a
    # common area of the project: "kind:garage", "name:儿童游乐场".
    where: str = "room"
    depts: tuple[str, ...] = ()  # departments that get a work order, in order
    results: tuple[str, ...] = ()  # work done by the first department (or, without work orders, the answers)
    results2: tuple[str, ...] = ()  # work done by the second department
    materials: tuple[str, ...] = ()  # aligned with results
    urgent: bool = False
    season: str = ""
    patrol: bool = False  # also found on patrol or reported by staff
    request: str = ""  # what the resident asks for
    impact: str = ""
    cause: str = ""
    part: str = "配件"  # what a technician may have to wait for
    # Complaints.
    category: str = ""
    severities: tuple[float, float, float] = (0.03, 0.15, 0.82)  # major, important, minor
    complained: str = ""  # department kind complained about
    person: str = ""  # person complained about ({security} etc. are the project's staff)
    valid: float = 0.7
    causes: tuple[str, ...] = ()  # root causes when valid
    invalid: tuple[str, ...] = ()  # what was found when not valid


S = Subject
E, SEC, CLN, GRN = "engineering", "security", "cleaning", "landscaping"

SUBJECTS: tuple[Subject, ...] = (
    # Repairs 报修.
    S("repair", "厨房水管漏水", ("厨房水槽下水管接头漏水，柜子里全是水", "厨房水管爆裂漏水，地面已经积水"), 5,
      depts=(E,),
      results=("更换破损的水管接头，试水无渗漏", "关闭进户总阀后更换爆裂管段，恢复供水，试水正常"),
      materials=("PPR直接2个、生料带", "PPR管1米、弯头2个"), urgent=True, request="马上派人来关水维修",
      impact="水流到客厅地板上", part="管件"),
    S("repair", "下水道堵塞", ("卫生间地漏堵塞，洗澡时积水", "马桶堵塞，冲水冲不下去",
                            "厨房下水道堵塞，水池排水很慢"), 9, depts=(E,),
      results=("使用疏通机疏通，清出毛发等杂物，排水恢复正常", "疏通马桶，取出堵塞异物，冲水正常",
               "疏通厨房下水管并清理油污，排水顺畅"), request="尽快上门疏通"),
    S("repair", "水龙头滴水", ("厨房水龙头关不紧，一直滴水", "卫生间洗手盆龙头滴水"), 5, depts=(E,),
      results=("更换水龙头阀芯，已不再滴水",), materials=("陶瓷阀芯1个",), part="阀芯"),
    S("repair", "马桶水箱故障", ("马桶水箱一直流水，不停地进水", "马桶冲水按钮坏了按不下去"), 4, depts=(E,),
      results=("更换水箱进水阀和止水皮垫，测试正常", "更换冲水按钮组件，冲水正常"),
      materials=("进水阀1套", "冲水按钮组件1套"), part="水箱配件"),
    S("repair", "家中停电", ("家里突然停电，总闸合不上", "家里断电了，楼道里的灯是亮的"), 2, depts=(E,),
      results=("检查为空调回路短路导致跳闸，隔离故障回路后恢复供电，已建议住户联系空调售后",
               "更换烧毁的入户空气开关，恢复供电"), materials=("", "空气开关1个"), urgent=True,
      request="尽快恢复供电"),
    S("repair", "插座没电", ("卧室插座没电", "厨房插座打火，不敢再用"), 4, depts=(E,),
      results=("更换烧坏的插座面板，通电测试正常",), materials=("五孔插座面板1个",), part="插座面板"),
    S("repair", "灯不亮", ("客厅吸顶灯不亮", "卫生间灯不亮，开关没反应"), 4, depts=(E,),
      results=("更换灯具镇流器，灯具恢复正常", "更换开关面板，灯具正常点亮"),
      materials=("镇流器1个", "单开开关面板1个")),
    S("repair", "墙面渗水", ("卧室墙面渗水，墙皮起鼓发霉", "卫生间顶部渗水，怀疑楼上防水有问题",
                          "外墙渗水，下雨时窗边墙面湿了一大片"), 6, depts=(E,),
      results=("检查为楼上卫生间防水层破损，已协调楼上住户配合维修，渗水已止住，墙面待干燥后修补",
               "对外墙窗边缝隙重新打胶封堵，淋水试验无渗漏"), materials=("", "耐候密封胶2支"), season="rainy",
      impact="墙面发霉，影响居住", cause="住户认为是楼上防水没做好", part="防水材料"),
    S("repair", "窗户漏雨", ("下雨时窗户漏雨，窗台积水",), 2, depts=(E,),
      results=("更换窗户密封胶条并疏通排水孔，淋水试验无渗漏",), materials=("密封胶条6米",), season="rainy",
      part="密封胶条"),
    S("repair", "空调外机噪音", ("空调外机噪音大，晚上影响休息", "楼上空调外机震动噪音很大"), 4, depts=(E,),
      results=("加固空调外机支架，加装减震垫，噪音明显降低",), materials=("减震垫4个",), season="summer",
      impact="晚上睡不好觉", part="外机支架"),
    S("repair", "空调冷凝水滴水", ("楼上空调冷凝水滴到我家阳台上",), 3, depts=(E,),
      results=("为楼上住户空调加装冷凝水管并接入排水立管，已不再滴水",), materials=("冷凝水管3米",),
      season="summer"),
    S("repair", "门锁故障", ("入户门锁坏了，钥匙插进去拧不动", "防盗门锁舌卡住，门关不上"), 3, depts=(E,),
      results=("拆修门锁锁芯并润滑，开关正常", "更换锁体，调试后开关顺畅"), materials=("", "锁体1个"),
      part="锁体"),
    S("repair", "燃气异味", ("厨房有燃气味，担心漏气",), 1, depts=(E,),
      results=("关闭燃气总阀，检测为灶具软管老化，已协助联系燃气公司更换软管，复测无泄漏",),
      materials=("燃气软管1根",), urgent=True, request="马上派人来看看"),
    S("repair", "电梯故障", ("电梯停在12楼不动，按钮没反应", "电梯运行时有异响，晃得厉害", "电梯门关不上，反复开合"), 5,
      where="elevator", depts=(E,),
      results=("维保单位到场检修，更换门机皮带，电梯恢复运行", "调整导靴并润滑导轨，异响消除，试运行正常",
               "清理门槛槽异物并调整门机，开关门正常"), patrol=True, part="电梯门机皮带"),
    S("repair", "电梯困人", ("电梯困人，一名住户被困在轿厢内",), 1, where="elevator", depts=(E,),
      results=("维保人员到场盘车放人，被困住户安全，电梯检修后恢复运行",), urgent=True, request="马上救人"),
    S("repair", "门禁失灵", ("单元门禁失灵，刷卡开不了门", "单元门禁对讲没有声音", "单元门闭门器坏了，门关不上"), 4,
      where="unit_door", depts=(E,),
      results=("更换门禁读卡模块，刷卡开门正常", "检修对讲主机线路，通话恢复正常", "更换闭门器，门能自动关闭"),
      materials=("读卡模块1个", "", "闭门器1个"), patrol=True, part="读卡模块"),
    S("repair", "楼道灯不亮", ("楼道灯不亮，晚上回家看不清楼梯", "楼道声控灯一直亮着不灭"), 5, where="stairwell",
      depts=(E,), results=("更换楼道声控灯", "更换声控开关，灯具工作正常"),
      materials=("LED声控灯1个", "声控开关1个"), patrol=True),
    S("repair", "车库照明故障", ("地下车库有几盏灯不亮",), 2, where="kind:garage", depts=(E,),
      results=("更换车库LED灯管5支，照明恢复",), materials=("LED灯管5支",), patrol=True),
    S("repair", "车库道闸故障", ("车库出口道闸不抬杆，车辆出不去",), 2, where="kind:garage", depts=(E,),
      results=("重启道闸控制器并校准车牌识别，抬杆正常",), patrol=True),
    S("repair", "路灯不亮", ("中心广场的路灯不亮", "小区主干道有两盏路灯不亮"), 2, where="kind:square", depts=(E,),
      results=("检修路灯线路，更换损坏灯泡，恢复照明",), materials=("LED路灯灯泡2个",), patrol=True),
    S("repair", "车库积水", ("暴雨后地下车库入口积水",), 1, where="kind:garage", depts=(E, CLN),
      results=("开启排水泵抽排积水，清理排水沟杂物",), results2=("清理地面淤泥并冲洗车库地面",), season="rainy",
      patrol=True),
    S("repair", "游乐设施损坏", ("儿童游乐场滑梯螺丝松动", "儿童游乐场秋千链条磨损严重"), 1, where="name:儿童游乐场",
      depts=(E,), results=("紧固滑梯螺丝并检查其他设施，无安全隐患", "更换秋千链条，检查无安全隐患"), patrol=True),
    S("repair", "消防栓箱破损", ("楼道消防栓箱玻璃破损",), 1, where="stairwell", depts=(E,),
      results=("更换消防栓箱玻璃",), patrol=True),
    S("repair", "喷灌水管破裂", ("绿化带喷灌水管破裂，路面一直冒水",), 1, where="kind:greenery", depts=(GRN,),
      results=("更换破裂的喷灌管段，恢复喷灌",), patrol=True),
    S("repair", "树枝折断", ("大风后树枝折断，挡住了人行道",), 1, where="kind:greenery", depts=(GRN,),
      results=("清理折断树枝并修剪周边枯枝，道路恢复通行",), season="typhoon", patrol=True),
    S("repair", "垃圾点满溢", ("垃圾分类投放点垃圾满溢，有异味",), 2, where="name:垃圾分类投放点", depts=(CLN,),
      results=("及时清运垃圾并冲洗消毒投放点",), season="summer", patrol=True),
    S("repair", "地砖破损", ("广场地砖松动破损，容易绊倒",), 1, where="kind:square", depts=(E,),
      results=("更换破损地砖并找平",), materials=("地砖6块、水泥砂浆",), patrol=True),
    # Inquiries 咨询: answered by the desk, no work order.
    S("inquiry", "物业费缴纳", ("咨询物业费缴纳方式和收费标准", "询问今年物业费账单金额"), 6, season="fee",
      results=("物业费可通过APP、微信公众号或到客服中心缴纳，收费标准按物业服务合同执行",
               "已查询账单并告知应缴金额及缴费渠道")),
    S("inquiry", "停车位", ("咨询地下车位月卡怎么办理", "询问访客车辆怎么登记进小区"), 4,
      results=("月卡可携带行驶证、身份证到客服中心办理", "访客车辆在岗亭登记后可临时停放2小时")),
    S("inquiry", "装修手续", ("咨询装修手续怎么办理", "询问装修施工时间有什么规定"), 3, season="reno",
      results=("需携带房产证、身份证及装修方案到客服中心办理装修登记，签订装修管理协议",
               "施工时间为工作日8:00-12:00、14:00-18:00，节假日不得进行噪音施工")),
    S("inquiry", "门禁卡补办", ("门禁卡丢了，咨询怎么补办",), 2, results=("携带身份证到客服中心补办，工本费20元",)),
    S("inquiry", "停水通知", ("询问明天是否停水，停多久",), 1,
      results=("明日9:00-15:00因二次供水水箱清洗停水，请提前储水",)),
    S("inquiry", "快递代收", ("咨询快递能否放在门岗代收",), 1, results=("小区已设快递柜，大件快递可在南门岗暂存",)),
    S("inquiry", "房屋出租", ("咨询房屋出租需要办理什么手续",), 1,
      results=("出租需到客服中心登记租户信息并为租户办理门禁卡",)),
    S("inquiry", "宠物登记", ("咨询养狗需要办理哪些登记",), 1,
      results=("需办理犬只登记并接种疫苗，遛狗须牵绳并及时清理粪便",)),
    S("inquiry", "发票开具", ("咨询物业费发票怎么开", "询问停车费能否开电子发票"), 1,
      results=("可在APP缴费记录中申请电子发票",)),
    S("inquiry", "社区活动", ("询问社区中秋活动怎么报名", "询问元旦亲子活动的时间"), 1, season="festival",
      results=("活动可在APP社区活动栏目或到客服中心报名",)),
    # Complaints 投诉.
    S("complaint", "装修噪音扰民", ("楼上装修噪音扰民，中午休息时间还在电钻施工", "隔壁装修周末一大早就开始砸墙"), 5,
      depts=(SEC,), results=("秩序员上门制止违规施工，并告知装修负责人施工时间规定",), season="reno",
      category="property", severities=(0.01, 0.09, 0.9), causes=("装修施工单位违反装修管理规定，在休息时间施工",),
      invalid=("施工在规定时间内进行，已协调装修方减少噪音",), request="马上制止施工"),
    S("complaint", "夜间噪音", ("晚上广场舞音响太吵，十点多了还没停", "楼下商铺夜里搬货噪音很大"), 2, depts=(SEC,),
      results=("秩序员到场劝导，音量已调小并按时结束",), season="summer", category="property",
      severities=(0.0, 0.08, 0.92), causes=("活动未遵守小区公约约定的时间和音量",),
      invalid=("现场检测噪音未超标，已向住户解释并请活动方注意音量",)),
    S("complaint", "保安态度", ("南门岗保安态度恶劣，登记访客时被呵斥", "保安值班时玩手机，叫了几次都不理人"), 3,
      depts=(SEC,), results=("秩序部主管约谈当事秩序员，并组织服务礼仪再培训",), category="property",
      severities=(0.02, 0.28, 0.7), complained=SEC, person="南门岗值班秩序员",
      causes=("当事秩序员服务意识不足、沟通方式生硬",), invalid=("调取监控核实，秩序员按规定要求登记，态度并无不当",)),
    S("complaint", "电梯频繁故障", ("电梯一个月坏了三次，老人上下楼很不方便", "电梯经常停运，维保不到位"), 3,
      where="elevator", depts=(E,), results=("联合维保单位对电梯全面检修，更换老化的门机控制板",),
      category="property", severities=(0.05, 0.35, 0.6), complained=E,
      causes=("电梯门机控制板老化，维保单位保养不到位",), invalid=("故障系住户用物品挡门造成，电梯本身运行正常",)),
    S("complaint", "垃圾清运不及时", ("楼下垃圾桶满溢发臭，好几天没人清运",), 3, depts=(CLN,),
      results=("增加垃圾清运频次至每日两次，并冲洗消毒垃圾桶",), season="summer", category="property",
      complained=CLN, causes=("夏季垃圾量增加，清运频次未及时调整",),
      invalid=("当日清运车辆故障延误，已恢复正常清运",)),
    S("complaint", "房屋质量", ("房屋外墙渗水，多次维修仍未解决", "卫生间地面开裂，楼下天花板渗水",
                            "交房不到两年地板大面积起拱"), 2, depts=(E,),
      results=("联系开发商维保单位现场勘查，重做外墙防水并修复内墙",), category="engineering",
      severities=(0.12, 0.38, 0.5), causes=("防水施工质量问题，属开发商保修范围",),
      invalid=("勘查为住户自行改造防水层造成，已告知维修建议",), request="彻底解决，不要再反复"),
    S("complaint", "车位被占", ("我的车位经常被别人的车占用",), 2, where="kind:garage", depts=(SEC,),
      results=("秩序员联系占位车主挪车，并在车位加装提示牌",), category="property",
      causes=("访客车辆乱停，岗亭登记引导不到位",), invalid=("占位车辆为住户家属车辆，已协调双方",)),
    S("complaint", "绿化养护差", ("小区草坪大片枯黄，绿化养护太差",), 1, where="kind:greenery", depts=(GRN,),
      results=("补种草皮并调整浇灌计划",), category="property", severities=(0.0, 0.1, 0.9), complained=GRN,
      causes=("夏季高温浇灌不及时",), invalid=("草坪处于季节性休眠期，已向住户解释",)),
    S("complaint", "楼道堆物", ("楼道里堆放杂物，存在消防隐患",), 2, where="stairwell", depts=(SEC, CLN),
      results=("秩序员张贴整改通知并督促住户清理",), results2=("清运楼道杂物，恢复通道畅通",), category="property",
      causes=("个别住户长期在楼道堆放杂物，巡查未及时发现",), invalid=("杂物为住户搬家临时放置，当日已清走",)),
    S("complaint", "蚊虫多", ("小区蚊虫太多，绿化带没有按时消杀",), 2, where="kind:greenery", depts=(CLN, GRN),
      results=("对楼栋周边及垃圾投放点进行消杀",), results2=("对绿化带灭蚊消杀并清理积水",), season="summer",
      category="property", complained=CLN, causes=("雨后积水未及时清理，消杀频次不足",),
      invalid=("已按计划每周消杀，蚊虫多为周边河道滋生",)),
    S("complaint", "维修工迟到", ("维修工约好上午来，结果下午才到，也没提前打电话",), 1, category="service",
      complained=E, person="{tech}", causes=("维修工未按约定时间上门且未提前告知",),
      invalid=("维修工已提前致电改约，住户未接到电话",)),
    S("complaint", "客服电话无人接", ("客服电话打了好几次都没人接",), 1, category="service",
      complained="customer_service", causes=("午间值班人员不足，来电高峰接听不及时",),
      invalid=("当时线路故障，已修复",)),
    S("complaint", "车位不足", ("小区规划的车位太少，晚上根本停不下",), 1, where="kind:garage", category="design",
      valid=0.5, causes=("小区规划车位配比不足，属规划设计问题",), invalid=("车位配比符合规划要求",)),
    S("complaint", "会所未开放", ("购房时承诺的会所至今没有开放",), 1, where="name:会所", category="sales",
      valid=0.6, causes=("开发商会所验收延期",), invalid=("购房合同未约定会所开放时间",)),
    S("complaint", "物业费上涨", ("物业费上涨不合理，没有征求业主意见",), 1, category="other", valid=0.3,
      severities=(0.02, 0.2, 0.78), causes=("调价公示宣传不到位",), invalid=("物业费调整已经业主大会表决通过",)),
    # Help 求助.
    S("help", "钥匙锁在家", ("钥匙锁在家里进不去，孩子一个人在家", "出门忘带钥匙，进不了家"), 3, depts=(SEC,),
      results=("秩序员协助联系备案开锁公司，核实身份后开锁入户",), request="尽快帮忙开门"),
    S("help", "独居老人无人应答", ("子女来电，独居老人电话一直无人接听，请帮忙上门看看",), 1, depts=(SEC,),
      results=("管家和秩序员上门查看，老人在家休息，身体无恙，已回复家属",)),
    S("help", "老人摔倒", ("家中老人摔倒起不来，需要帮忙",), 1, depts=(SEC,),
      results=("秩序员到场协助扶起老人，家属已陪同就医",)),
    S("help", "搬运大件", ("家里要搬一台旧冰箱下楼，需要帮忙",), 2, depts=(SEC,),
      results=("秩序员协助搬运至楼下大件垃圾点",)),
    S("help", "车辆剐蹭", ("车停在车库被剐蹭，请求调取监控",), 2, where="kind:garage", depts=(SEC,),
      results=("协助调取监控，已找到肇事车辆并联系车主协商",)),
    S("help", "宠物走失", ("家里的狗走丢了，请帮忙在小区里找找",), 1, depts=(SEC,),
      results=("秩序员巡逻时留意并在业主群发布寻狗信息，已找到",)),
    S("help", "跳闸", ("家里跳闸了，不会合闸",), 2, depts=(E,), results=("上门协助检查，排除故障电器后合闸送电",)),
    S("help", "代为关窗", ("出差在外，下雨忘了关窗，请帮忙关一下",), 1, depts=(SEC,), season="rainy",
      results=("经住户授权，秩序员与管家一同入户关窗并拍照反馈",)),
    # Suggestions 建议.
    S("suggestion", "游乐场遮阳棚", ("建议在儿童游乐场增加遮阳棚",), 1, where="name:儿童游乐场",
      results=("已纳入明年公共设施改造计划，届时将在业主群公示方案",)),
    S("suggestion", "电动车充电桩", ("建议增设电动自行车充电桩，免得有人飞线充电",), 2,
      results=("已与供电部门沟通，计划在地面非机动车棚增设充电桩",)),
    S("suggestion", "会所开放时间", ("建议会所开放时间延长到晚上十点",), 1, where="name:会所",
      results=("自下月起会所周末开放时间延长至21:30",)),
    S("suggestion", "垃圾分类指导", ("建议在垃圾投放点安排志愿者指导分类",), 1,
      results=("已招募业主志愿者，早晚高峰在投放点值守指导",)),
    S("suggestion", "夜间巡逻", ("建议增加夜间巡逻频次",), 1, results=("已将夜间巡逻调整为每两小时一次",)),
    S("suggestion", "水箱清洗公示", ("建议定期清洗二次供水水箱并公示水质报告",), 1,
      results=("水箱每半年清洗一次，检测报告将在公告栏和APP公示",)),
    # Praise 表扬.
    S("praise", "表扬维修工", ("表扬维修工{tech}，上门及时，修得又快又好",), 3,
      results=("已转达{tech}并在工程部通报表扬",)),
    S("praise", "表扬秩序员", ("感谢秩序员{security}帮忙找回走失的孩子", "感谢秩序员{security}雨夜帮忙推车"), 2,
      results=("已转达{security}并在秩序部通报表扬",)),
    S("praise", "表扬保洁员", ("表扬保洁员{cleaning}，楼道每天打扫得很干净",), 2,
      results=("已转达{cleaning}并在环境部通报表扬",)),
    S("praise", "表扬管家", ("感谢管家{steward}经常看望家里老人",), 2, results=("已转达{steward}并通报表扬",)),
    S("praise", "表扬客服", ("表扬客服{agent}耐心帮忙处理问题",), 1, results=("已转达{agent}并在客服中心通报表扬",)),
    S("praise", "赠送锦旗", ("送来锦旗，感谢物业暴雨期间及时排水",), 1,
      results=("锦旗已悬挂在客服中心，我们会继续做好服务",)),
)

REJECT_REASONS = ("正在处理另一紧急工单，无法及时上门", "今日轮休，请改派他人", "非本人负责楼栋")
REASSIGN_REASONS = ("原维修工请假，改派他人", "需要专业电工处理，转派")
CANCEL_REASONS = ("住户已自行请人修好，要求撤单", "重复报事，已在另一工单处理", "住户取消报修")
REOPEN_REASONS = ("住户反映维修后问题复发，要求再次上门", "回访时住户反映仍未修好")
COMPLAINT_NOTES = ("已电话联系住户了解详细情况，住户情绪已安抚", "已与被投诉部门沟通，要求今日内处理完毕")


# --- the plan: pure data -----------------------------------------------------------------------------------------

@dataclass(eq=False, slots=True)
class WOPlan:
    index: int
    department: str
    created_at: datetime
    respond_by: datetime | None
    arrive_by: datetime | None
    resolve_by: datetime | None
    instructions: str = ""
    status: str = "pending"
    assignee: str | None = None
    dispatcher: str | None = None
    dispatched_at: datetime | None = None
    accepted_at: datetime | None = None
    arrived_at: datetime | None = None
    completed_at: datetime | None = None
    held_since: datetime | None = None
    held_seconds: int = 0
    hold_reason: str = ""
    escalations_sent: list[str] = field(default_factory=list)
    next_escalation_at: datetime | None = None
    result: str = ""
    materials: str = ""
    confirmation_method: str = ""
    signature: str = ""
    code_hash: str = ""
    code_sent_at: datetime | None = None
    confirmed_at: datetime | None = None
    reopen_count: int = 0
    changed_at: datetime | None = None  # last state change (the sweep fires a rung at the earliest a minute later)
    rungs: list = field(default_factory=list)  # (fires at, rung) not sent yet, as the order stands


@dataclass(eq=False, slots=True)
class RequestPlan:
    project: str  # project code
    branch: str
    number: str
    kind: str
    channel: str
    subject: Subject
    received_at: datetime
    created_by: str  # username
    contact_name: str
    contact_phone: str
    description: str
    reporter: PersonPlan | None = None
    room: RoomPlan | None = None
    area: int | None = None  # index into the project's common areas, in plan order
    location_note: str = ""
    occurred_at: datetime | None = None
    cause: str = ""
    impact: str = ""
    resident_request: str = ""
    resident_deadline: datetime | None = None
    appointment_at: datetime | None = None
    emotion: str = "calm"
    urgent: bool = False
    rule: str = ""
    complaint_category: str = ""
    severity: str = ""
    complained_department: str = ""  # department kind
    complained_person: str = ""
    needs_written_reply: bool = False
    respond_by: datetime | None = None
    resolve_by: datetime | None = None
    # As replayed up to "as of".
    status: str = "open"
    reply: str = ""
    replied_at: datetime | None = None
    written_reply: str = ""
    written_reply_at: datetime | None = None
    closed_at: datetime | None = None
    resolved_at: datetime | None = None
    complaint_valid: bool | None = None
    root_cause: str = ""
    acknowledged_at: datetime | None = None
    acknowledged_by: str | None = None
    escalations_sent: list[str] = field(default_factory=list)
    next_escalation_at: datetime | None = None
    updated_at: datetime | None = None
    work_orders: list[WOPlan] = field(default_factory=list)
    # (at, kind, action, actor username, message, internal, data, work order index or None)
    events: list[tuple] = field(default_factory=list)


@dataclass(eq=False)
class _Staff:
    """A project's demo staff, by what they do."""

    code: str
    prefix: str  # the project's number prefix
    name: str
    branch: str
    agents: list[str]
    stewards: list[str]
    pm: str
    leader: str
    members: dict[str, list[str]]  # department kind → usernames
    names: dict[str, str]  # username → display name
    mobiles: dict[str, str]


@dataclass(eq=False)
class _People:
    """Who may report in one project: occupancies with cumulative weights (some households call far more often)."""

    occupancies: list[OccupancyPlan]
    general: list[float]
    complaint: list[float]
    help: list[float]
    elevators: dict[tuple[str, str], list[int]]  # (building, unit) → elevator area indices
    lobbies: dict[str, int]  # building → lobby area index (unit 1)
    area_kinds: dict[str, list[int]]
    area_names: dict[str, int]
    rooms: list[RoomPlan]  # rooms in buildings with stairwells, for places found on patrol


@dataclass(frozen=True)
class _Skeleton:
    project: int
    received_at: datetime
    kind: str
    channel: str
    stall: bool = False


class _Steps:
    """The life of one request as steps (at, seq, work order index or None, action, actor, payload)."""

    def __init__(self):
        self.items: list[tuple] = []

    def add(self, at: datetime, target: int | None, action: str, actor: str | None, **payload) -> None:
        self.items.append((at, len(self.items), target, action, actor, payload))


def plan_history(plan: DemoPlan) -> list[RequestPlan]:
    """Every request of the year, replayed up to midnight starting ``plan.today``. Pure: same plan, same history."""
    return list(iter_history(plan))


def iter_history(plan: DemoPlan) -> Iterator[RequestPlan]:
    """The requests in the order they came in (across projects), numbered per project and day."""
    return _Planner(plan).requests()


class _Planner:
    def __init__(self, plan: DemoPlan):
        self.plan = plan
        self.rng = random.Random(plan.seed + SEED_OFFSET)
        self.as_of = datetime.combine(plan.today, time(0), TZ)
        self.start_day = plan.today - timedelta(days=DAYS)
        # One calendar and one set of targets for the whole history: the demo company keeps the defaults
        # (services/policy.policy_for gives exactly these for its projects).
        self.calendar = WorkingCalendar(tz=TZ)
        self.targets = dict(sla.DEFAULT_POLICY)
        self.ladder = escalation.DEFAULT_LADDER
        self.accept_ladder = escalation.DEFAULT_ACCEPT_LADDER
        self.staff = [self._staff(pp) for pp in plan.projects]
        self.people = [self._people(pp) for pp in plan.projects]
        self.subjects = self._subject_tables()
        self.last_numbers: dict[tuple[str, date], int] = {}
        self.names: dict[str, str] = {}

    # -- setup -------------------------------------------------------------------------------------------------

    def _staff(self, pp) -> _Staff:
        code = pp.spec.code
        mine = [s for s in self.plan.staff if s.project == code]
        members: dict[str, list[str]] = defaultdict(list)
        for s in mine:
            if s.department:
                members[s.department].append(s.username)
        leader = next(s.username for s in self.plan.staff if s.role == "branch_leader" and s.branch == pp.branch.code)
        names = {s.username: s.display_name for s in self.plan.staff}
        return _Staff(code=code, prefix=pp.spec.prefix, name=pp.spec.name, branch=pp.branch.code,
                      agents=[s.username for s in mine if s.role == "agent"],
                      stewards=[s.username for s in mine if s.role == "steward"],
                      pm=next(s.username for s in mine if s.role == "project_manager"), leader=leader,
                      members=dict(members), names=names, mobiles={s.username: s.mobile for s in self.plan.staff})

    def _people(self, pp) -> _People:
        rng = self.rng
        relation_weight = {"owner": 1.0, "co_owner": 0.5, "tenant": 1.0, "family": 0.3, "occupant": 0.2}
        occupancies = [o for o in pp.occupancies if o.room.status != "vacant" or o.relation == "owner"]
        general, complaint, help_ = [], [], []
        for o in occupancies:
            weight = rng.lognormvariate(0, 0.9) * relation_weight.get(o.relation, 0.5)
            if o.room.status == "vacant":
                weight *= 0.1
            if o.person.login:
                weight *= 8  # the resident logins have a history of their own to look at
            general.append(weight)
            complaint.append(weight * (12 if o.person.flags.get("is_frequent_complainant") else 1))
            help_.append(weight * (6 if o.person.flags.get("is_elderly_alone") else 1))
        elevators: dict[tuple[str, str], list[int]] = defaultdict(list)
        lobbies: dict[str, int] = {}
        kinds: dict[str, list[int]] = defaultdict(list)
        names: dict[str, int] = {}
        for index, area in enumerate(pp.common_areas):
            kinds[area.kind].append(index)
            names[area.name] = index
            if area.kind == "elevator":
                unit = area.name.split("号楼")[1].split("单元")[0]
                elevators[(area.building, unit)].append(index)
            elif area.kind == "lobby":
                lobbies[area.building] = index
        return _People(occupancies=occupancies, general=list(accumulate(general)),
                       complaint=list(accumulate(complaint)), help=list(accumulate(help_)), elevators=dict(elevators),
                       lobbies=lobbies, area_kinds=dict(kinds), area_names=names,
                       rooms=[room for room in pp.rooms if room.room_type != "villa"] or pp.rooms)

    def _subject_tables(self) -> dict[tuple[str, bool, int], tuple[list[Subject], list[float]]]:
        """(kind, staff-found, month) → subjects with cumulative weights."""
        tables = {}
        for kind in KIND_WEIGHTS:
            for staff_found in (False, True):
                pool = [s for s in SUBJECTS if s.kind == kind and (s.patrol or not staff_found)]
                for month in range(12):
                    weights = [s.weight * SEASONS[s.season][month] for s in pool]
                    tables[(kind, staff_found, month)] = (pool, list(accumulate(weights)))
        return tables

    # -- random helpers ----------------------------------------------------------------------------------------

    def pick(self, population, cum_weights):
        return population[bisect.bisect_right(cum_weights, self.rng.random() * cum_weights[-1])]

    def weighted(self, table: dict):
        return self.rng.choices(list(table), weights=list(table.values()))[0]

    def minutes(self, low: float, high: float) -> timedelta:
        return timedelta(seconds=int(self.rng.uniform(low, high) * 60))

    def lognorm(self, median: float, sigma: float, low: float, high: float) -> timedelta:
        """Minutes, log-normally around ``median``, clipped to [low, high]."""
        value = median * math.exp(self.rng.gauss(0, sigma))
        return timedelta(seconds=int(min(max(value, low), high) * 60))

    def on_duty(self, t: datetime, start: tuple[int, int] = (8, 30), end: tuple[int, int] = (18, 0),
                jitter: float = 60) -> datetime:
        """``t`` when it falls in the day's duty hours, else the next start of duty plus a little."""
        minute = t.hour * 60 + t.minute
        first, last = start[0] * 60 + start[1], end[0] * 60 + end[1]
        if first <= minute < last:
            return t
        day = t.date() if minute < first else t.date() + DAY
        return datetime.combine(day, time(*start), TZ) + self.minutes(0, jitter)

    def desk(self, staff: _Staff, t: datetime) -> str:
        """The agent on duty: the first agent on weekday days and every other weekend, the second in the evening and
        at night (the 400 line never closes)."""
        if 8 <= t.hour < 16 and (t.weekday() < 5 or t.toordinal() % 2):
            return staff.agents[0]
        return staff.agents[-1]

    # -- the year ----------------------------------------------------------------------------------------------

    def _days(self) -> tuple[list[date], list[float]]:
        days = [self.start_day + timedelta(days=i) for i in range(DAYS)]
        festival = set()
        weights = []
        details = {}
        for day in days:
            try:
                details[day] = chinese_calendar.get_holiday_detail(day)
            except NotImplementedError:  # a year the package does not know: no holidays
                details[day] = (day.weekday() >= 5, None)
            if details[day][1] == chinese_calendar.Holiday.spring_festival.value and details[day][0]:
                festival.add(day)
        before_festival = {day - timedelta(days=k) for day in festival for k in range(1, 8)} - festival
        for day in days:
            weight = MONTH_VOLUME[day.month - 1]
            if self.calendar.is_workday(day):
                weight *= 1.12 if day.weekday() == 0 else 1.0
            else:
                weight *= 0.8
            if day in festival:
                weight *= 0.45  # many residents go home for the Spring Festival
            elif details[day][0] and details[day][1]:
                weight *= 0.8
            elif day in before_festival:
                weight *= 0.85
            weights.append(weight)
        return days, list(accumulate(weights))

    def _skeletons(self) -> list[_Skeleton]:
        rng = self.rng
        total = max(1, round(REQUESTS_PER_YEAR * self.plan.scale))
        sizes = [sum(1 for o in people.occupancies if o.end is None) for people in self.people]
        days, day_weights = self._days()
        kinds = list(KIND_WEIGHTS)
        kind_weights = list(accumulate(KIND_WEIGHTS.values()))
        hours = {key: list(accumulate(profile)) for key, profile in (
            ("weekday", HOURS_WEEKDAY), ("weekend", HOURS_WEEKEND), ("office", HOURS_OFFICE))}
        skeletons = []
        for index, size in enumerate(sizes):
            count = max(1, round(total * size / sum(sizes)))
            for day in rng.choices(days, cum_weights=day_weights, k=count):
                kind = self.pick(kinds, kind_weights)
                channel = self.weighted(CHANNELS[kind])
                if channel == "patrol":
                    low, high = rng.choice(PATROL_WINDOWS)
                    seconds = int(rng.uniform(low, high) * 60)
                else:
                    profile = ("office" if channel in ("walk_in", "letter", "staff")
                               else "weekday" if self.calendar.is_workday(day) else "weekend")
                    seconds = self.pick(range(24), hours[profile]) * 3600 + rng.randrange(3600)
                received = datetime.combine(day, time(0), TZ) + timedelta(seconds=seconds)
                skeletons.append(_Skeleton(index, received, kind, channel))
            skeletons += self._stalled(index, skeletons)
        skeletons.sort(key=lambda s: (s.received_at, s.project))
        return skeletons

    def _stalled(self, project: int, skeletons: list[_Skeleton]) -> list[_Skeleton]:
        """Mark a few repairs of the last two weeks (but old enough to be past their deadline) as stalled, so the
        overdue queue shows real rows; add some when a small demo has too few."""
        rng = self.rng
        low, high = self.as_of - timedelta(days=RECENT_DAYS), self.as_of - timedelta(days=5)
        mine = [i for i, s in enumerate(skeletons) if s.project == project and s.kind in ("repair", "complaint", "help")
                and self.as_of - timedelta(days=RECENT_DAYS) <= s.received_at]
        candidates = [i for i in mine if skeletons[i].kind == "repair" and skeletons[i].channel not in (
            "patrol", "staff") and low <= skeletons[i].received_at < high]
        wanted = max(2, round(0.05 * len(mine)))
        for i in rng.sample(candidates, min(wanted, len(candidates))):
            skeletons[i] = _Skeleton(project, skeletons[i].received_at, "repair", skeletons[i].channel, stall=True)
        extra = []
        for _missing in range(wanted - len(candidates)):
            received = datetime.combine(low.date() + timedelta(days=rng.randrange(RECENT_DAYS - 5)), time(10), TZ)
            extra.append(_Skeleton(project, received + self.minutes(0, 300), "repair", "phone", stall=True))
        return extra

    def requests(self) -> Iterator[RequestPlan]:
        for skeleton in self._skeletons():
            yield self._request(skeleton)

    # -- one request -------------------------------------------------------------------------------------------

    def _request(self, sk: _Skeleton) -> RequestPlan:
        rng = self.rng
        staff, people, pp = self.staff[sk.project], self.people[sk.project], self.plan.projects[sk.project]
        t0 = sk.received_at
        staff_found = sk.channel in ("patrol", "staff")
        pool, cum = self.subjects[(sk.kind, staff_found, t0.month - 1)]
        subject = self.pick(pool, cum)
        reporter_occupancy = None
        if not staff_found:
            reporter_occupancy = self._reporter(people, sk.kind, t0.date())
            for _retry in range(4):  # no lift or stairwell in a town house
                if not (reporter_occupancy.room.room_type == "villa"
                        and subject.where in ("elevator", "stairwell", "unit_door")):
                    break
                subject = self.pick(pool, cum)
        day = t0.date()
        number = self.last_numbers.get((staff.code, day), 0) + 1
        self.last_numbers[(staff.code, day)] = number
        names = self.names = {"tech": staff.names[rng.choice(staff.members[E])],
                              "security": staff.names[staff.members[SEC][0]],
                              "cleaning": staff.names[staff.members[CLN][0]],
                              "steward": staff.names[rng.choice(staff.stewards)],
                              "agent": staff.names[rng.choice(staff.agents)]}
        description = rng.choice(subject.texts).format(**names)
        if sk.channel == "patrol":
            created_by = rng.choice(staff.stewards + staff.members[SEC])
        elif sk.channel == "staff":
            created_by = rng.choice(staff.members[E] + staff.members[SEC] + staff.members[CLN] + staff.stewards)
        else:
            created_by = self.desk(staff, t0)
        r = RequestPlan(project=staff.code, branch=staff.branch,
                        number=numbers.request_number(staff.prefix, day, number), kind=sk.kind,
                        channel=sk.channel, subject=subject, received_at=t0, created_by=created_by,
                        contact_name="", contact_phone="", description=description)
        if reporter_occupancy is not None:
            person = reporter_occupancy.person
            r.reporter, r.room = person, reporter_occupancy.room
            r.contact_name = person.name
            phones = [number for number, _kind, _label in person.phones]
            r.contact_phone = phones[1] if len(phones) > 1 and rng.random() < 0.15 else phones[0]
            emotions = EMOTIONS["complaint" if sk.kind == "complaint" else "urgent" if subject.urgent
                                else "praise" if sk.kind == "praise" else ""]
            r.emotion = self.weighted(emotions)
        else:
            r.contact_name, r.contact_phone = staff.names[created_by], staff.mobiles[created_by]
        self._locate(r, subject, people, pp)
        if sk.kind == "complaint":
            r.complaint_category = subject.category
            r.severity = rng.choices(("major", "important", "minor"), weights=subject.severities)[0]
            r.complained_department = subject.complained
            r.complained_person = subject.person.format(**names)
        r.urgent = subject.urgent
        r.needs_written_reply = sk.channel == "letter"
        r.resident_request = subject.request if reporter_occupancy is not None and rng.random() < 0.6 else ""
        r.impact = subject.impact if rng.random() < 0.5 else ""
        r.cause = subject.cause if rng.random() < 0.4 else ""
        if sk.kind in ("repair", "complaint", "help") and rng.random() < 0.6:
            r.occurred_at = t0 - self.minutes(5, 240 if sk.kind != "complaint" else 2880)
        arrive_by = self._deadlines(r, sk)
        steps = _Steps()
        steps.add(t0, None, "created", created_by)
        if sk.kind == "complaint" and r.severity in ("major", "important"):
            steps.add(t0, None, "intake", None)
            if r.severity == "important":  # the project manager takes it, within the hour as a rule
                late_ack = rng.random() < 0.1
                steps.add(t0 + (self.minutes(65, 200) if late_ack else self.minutes(4, 50)), None, "ack", staff.pm)
            else:  # major: the branch leadership takes it into handling, well within its 2 hours
                steps.add(min(t0 + self.minutes(5, 80), r.respond_by or t0), None, "ack", staff.leader)
        if sk.kind == "complaint" and rng.random() < 0.5:
            steps.add(t0 + self.minutes(10, 90), None, "note", rng.choice([staff.pm, *staff.agents]),
                      text=rng.choice(COMPLAINT_NOTES))
        if subject.depts:
            self._work(r, sk, staff, steps, arrive_by)
        else:
            self._answer(r, staff, steps, self._answer_time(r, staff))
        self._replay(r, staff, steps)
        return r

    def _reporter(self, people: _People, kind: str, day: date) -> OccupancyPlan:
        cum = people.complaint if kind == "complaint" else people.help if kind == "help" else people.general
        for _attempt in range(30):
            o = self.pick(people.occupancies, cum)
            if o.start <= day and (o.end is None or day <= o.end) and o.person.registered_on <= day:
                return o
        return next(o for o in people.occupancies if o.start <= day and o.person.registered_on <= day)

    def _locate(self, r: RequestPlan, subject: Subject, people: _People, pp) -> None:
        rng = self.rng
        where = subject.where
        room = r.room or rng.choice(people.rooms)
        building, unit, _number = room.code.split("-") if room.code.count("-") == 2 else (room.code, "1", "")
        if where == "room":
            if r.room is None:
                r.location_note = f"{building}号楼{unit}单元"
            return
        r.room = None  # a place shared by everyone: the reporter stays the reporter
        if where == "elevator":
            lifts = people.elevators.get((building, unit))
            if lifts:
                r.area = rng.choice(lifts)
            elif r.reporter is None and people.area_kinds.get("elevator"):
                r.area = rng.choice(people.area_kinds["elevator"])
            else:
                r.location_note = f"{building}号楼{unit}单元电梯"
        elif where == "unit_door":
            if unit == "1" and building in people.lobbies:
                r.area = people.lobbies[building]
            else:
                r.location_note = f"{building}号楼{unit}单元门口"
        elif where == "stairwell":
            r.location_note = f"{building}号楼{unit}单元{room.floor}层楼道"
        elif where.startswith("kind:"):
            areas = people.area_kinds.get(where[5:])
            if areas:
                r.area = rng.choice(areas)
            else:
                r.location_note = "小区公共区域"
        elif where.startswith("name:"):
            area = people.area_names.get(where[5:])
            if area is not None:
                r.area = area
            else:
                r.location_note = where[5:]

    def _deadlines(self, r: RequestPlan, sk: _Skeleton) -> datetime | None:
        rng = self.rng
        t0 = r.received_at
        if r.kind == "repair" and not r.urgent and r.room is not None and rng.random() < 0.25:
            offset = 0 if t0.hour < 11 and rng.random() < 0.4 else rng.choice((1, 1, 2))
            hour = rng.choice((9, 10, 14, 15, 16, 19)) if offset else rng.choice((14, 15, 16))
            appointment = datetime.combine(t0.date() + timedelta(days=offset), time(hour), TZ)
            if appointment > t0 + HOUR:
                r.appointment_at = appointment
        if r.kind == "complaint" and r.severity == "minor" and rng.random() < 0.2:
            r.resident_deadline = datetime.combine(t0.date() + DAY, time(rng.choice((12, 18))), TZ)
        elif r.kind == "repair" and not r.urgent and t0.hour < 13 and rng.random() < 0.05 and not sk.stall:
            r.resident_deadline = datetime.combine(t0.date(), time(18), TZ)
        r.rule = sla.rule_key(r.kind, severity=r.severity or None, urgent=r.urgent)
        deadlines = sla.compute_deadlines(target=self.targets[r.rule], received_at=t0, calendar=self.calendar,
                                          resident_deadline=r.resident_deadline, appointment=r.appointment_at)
        r.respond_by, r.resolve_by = deadlines.respond_by, deadlines.resolve_by
        return deadlines.arrive_by  # not stored on the request: its work orders carry it

    # -- work orders -------------------------------------------------------------------------------------------

    def _work(self, r: RequestPlan, sk: _Skeleton, staff: _Staff, steps: _Steps, arrive_by: datetime | None) -> None:
        rng = self.rng
        t0 = r.received_at
        if r.urgent or r.kind == "help" or r.severity == "major" or r.channel == "patrol":
            base = t0 + (self.minutes(1, 3) if r.urgent else self.minutes(2, 8))
        else:
            base = t0 + self.lognorm(4, 0.6, 1, 30)
            if not (7 * 60 + 30 <= base.hour * 60 + base.minute < 21 * 60):  # recorded at night, dispatched at 8:30
                base = self.on_duty(base, (8, 30), (21, 0), 15)
        stall = ""
        if sk.stall:
            stall = rng.choice(("unaccepted", "slow", "slow", "parts"))
        finals = []
        instructions = ""
        if r.urgent:
            instructions = "紧急报修，请立即到场处理。"
        elif r.appointment_at:
            instructions = f"住户预约{r.appointment_at:%m月%d日%H:%M}上门。"
        reopenable = r.kind in ("repair", "help") and r.room is not None and not stall
        reopen_wo = None
        for index, dept in enumerate(r.subject.depts):
            created = base + timedelta(seconds=rng.randrange(20, 90) + 60 * index)
            wo = WOPlan(index=index + 1, department=dept, created_at=created, respond_by=r.respond_by,
                        arrive_by=arrive_by, resolve_by=r.resolve_by, instructions=instructions)
            r.work_orders.append(wo)
            final, outcome = self._chain(r, wo, staff, steps, created, stall=stall if index == 0 else "")
            finals.append(final)
            if outcome == "completed" and reopenable and reopen_wo is None and rng.random() < 0.03:
                reopen_wo = wo
        if stall:
            return
        reply_at = max(finals) + (self.lognorm(180, 0.8, 30, 1800) if r.kind == "complaint"
                                  else self.lognorm(40, 0.9, 5, 1200))
        reply_at = self.on_duty(reply_at, (8, 0), (21, 0), 40)
        self._answer(r, staff, steps, reply_at)
        if reopen_wo is not None:
            self._reopen(r, reopen_wo, staff, steps, reply_at)

    def _members(self, staff: _Staff, dept: str) -> tuple[list[str], list[float]]:
        members = staff.members[dept]
        weights = [0.42, 0.34, 0.24][:len(members)] if dept == E else [1.0] * len(members)
        return members, weights

    def _accept_after(self, t: datetime, dept: str, urgent: bool, quick: bool = False) -> datetime:
        if urgent:
            return t + self.minutes(0.5, 5)
        if quick:  # help: someone is waiting at the door
            return t + self.lognorm(6, 0.6, 1, 60)
        if dept != SEC and not 8 <= t.hour < 20:  # the guard room works at night; the others start at 8
            t = self.on_duty(t, (8, 0), (20, 0), 40)
        return t + self.lognorm(10, 0.6, 1, 120)

    def _arrival(self, r: RequestPlan, dept: str, accepted: datetime) -> datetime:
        if r.urgent:
            return accepted + self.minutes(6, 22) + (self.minutes(10, 30) if self.rng.random() < 0.07 else MINUTE * 0)
        if r.appointment_at:
            return max(accepted + self.minutes(5, 10), r.appointment_at + self.minutes(-10, 20))
        if r.kind == "help" or r.severity == "major":
            return accepted + self.minutes(5, 30)
        if r.kind == "complaint":
            if dept == E:
                return self.on_duty(accepted + self.minutes(120, 1800))
            return self.on_duty(accepted + self.lognorm(40, 0.8, 10, 180), (8, 0), (20, 0))
        return self.on_duty(accepted + self.lognorm(45, 0.8, 10, 300), (8, 30), (18, 0), 90)

    def _work_time(self, r: RequestPlan) -> timedelta:
        if r.kind == "help":
            return self.lognorm(20, 0.5, 5, 90)
        if r.kind == "complaint":
            return self.lognorm(40, 0.6, 10, 240)
        return self.lognorm(35, 0.6, 10, 180)

    def _chain(self, r: RequestPlan, wo: WOPlan, staff: _Staff, steps: _Steps, created: datetime, *,
               stall: str) -> tuple[datetime, str]:
        """Steps of one work order from creation to completion (or cancellation). Returns when and how it ended."""
        rng = self.rng
        i = wo.index - 1
        dept = wo.department
        members, weights = self._members(staff, dept)
        dispatcher = self.desk(staff, created)
        far = self.as_of + timedelta(days=rng.randint(1, 10))
        steps.add(created, i, "create", dispatcher)
        t = created + self.minutes(0.3, 2)
        if len(members) > 1 and not r.urgent and rng.random() < 0.2:
            steps.add(t, i, "pool", dispatcher)
            grabbed = far if stall == "unaccepted" else self._accept_after(t, dept, False)
            assignee = rng.choices(members, weights=weights)[0]
            steps.add(grabbed, i, "grab", assignee)
            t = grabbed
        else:
            assignee = rng.choices(members, weights=weights)[0]
            steps.add(t, i, "dispatch", dispatcher, assignee=assignee)
            if len(members) > 1 and not stall and rng.random() < 0.03:
                t += self.minutes(2, 15)
                steps.add(t, i, "reject", assignee, reason=rng.choice(REJECT_REASONS))
                assignee = rng.choice([m for m in members if m != assignee])
                t += self.minutes(2, 10)
                steps.add(t, i, "dispatch", self.desk(staff, t), assignee=assignee)
            t = far if stall == "unaccepted" else self._accept_after(t, dept, r.urgent, r.kind == "help")
            steps.add(t, i, "accept", assignee)
        if stall == "unaccepted":
            return far, "stalled"
        if len(members) > 1 and not stall and rng.random() < 0.02:
            t += self.minutes(10, 90)
            assignee = rng.choice([m for m in members if m != assignee])
            steps.add(t, i, "reassign", self.desk(staff, t), assignee=assignee, reason=rng.choice(REASSIGN_REASONS))
            t += self.minutes(3, 20)
            steps.add(t, i, "accept", assignee)
        if not stall and r.kind in ("repair", "help") and rng.random() < 0.02:
            t = self.on_duty(t + self.minutes(10, 360), (8, 0), (21, 0))
            steps.add(t, i, "cancel", self.desk(staff, t), reason=rng.choice(CANCEL_REASONS))
            return t, "cancelled"
        late = not stall and rng.random() < (0.07 if r.urgent or r.kind == "help" else 0.11)
        arrive = self._arrival(r, dept, t)
        holds: list[tuple[str, str, datetime, datetime]] = []  # (reason code, text, from, until)
        hold_mode = ""
        if stall == "slow":
            arrive = far
        elif stall == "parts" or (not late and r.kind == "repair" and not r.urgent and r.room is not None
                                  and rng.random() < 0.1):
            hold_mode = "parts" if stall else self.weighted({"parts": 5, "not_home": 3, "appointment": 2})
        work = self._work_time(r)
        if hold_mode == "not_home":  # at the door, nobody home: hold until the resident is back
            resume = self.on_duty(arrive + self.minutes(120, 1500), (8, 30), (19, 0))
            holds.append(("not_home", "上门时住户不在家，已电话联系改约时间", arrive, resume))
            arrive = resume + self.minutes(20, 90)
        elif hold_mode == "appointment":
            hold_from = t + self.minutes(10, 60)
            resume = self.on_duty(hold_from + timedelta(days=rng.randint(1, 4)), (8, 30), (17, 0))
            holds.append(("appointment", "住户要求改约其他时间上门", hold_from, resume))
            arrive = max(arrive, resume + self.minutes(20, 60))
        first_arrive = arrive
        if hold_mode == "parts":
            days = rng.randint(1, 5)
            hold_from = arrive + self.minutes(10, 40)
            resume = far if stall else self.on_duty(hold_from + timedelta(days=days), (8, 30), (17, 0))
            holds.append(("parts", f"需要更换{r.subject.part}，配件缺货已下单，预计{days}天到货", hold_from, resume))
            arrive = resume + self.minutes(20, 60)
        done = arrive + work
        if late and wo.resolve_by is not None:
            resolve_by = wo.resolve_by
            if done <= resolve_by:
                lateness = self.lognorm(300, 1.0, 30, 4 * 24 * 60)
                arrive = self.on_duty(resolve_by + lateness - work, (8, 0), (20, 0))
                first_arrive = arrive
                done = arrive + work
        # Steps: arrive (first visit), holds, later visit, complete.
        if hold_mode == "not_home":
            reason, text, hold_from, resume = holds[0]
            steps.add(hold_from, i, "hold", assignee, reason=text, hold_reason=reason)
            steps.add(resume, i, "resume", assignee)
            steps.add(arrive, i, "arrive", assignee)
        elif hold_mode == "appointment":
            reason, text, hold_from, resume = holds[0]
            steps.add(hold_from, i, "hold", self.desk(staff, hold_from), reason=text, hold_reason=reason)
            steps.add(resume, i, "resume", self.desk(staff, resume))
            steps.add(arrive, i, "arrive", assignee)
        elif hold_mode == "parts":
            reason, text, hold_from, resume = holds[0]
            steps.add(first_arrive, i, "arrive", assignee)
            steps.add(hold_from, i, "hold", assignee, reason=text, hold_reason=reason)
            steps.add(resume, i, "resume", assignee)
            steps.add(arrive, i, "arrive", assignee)
        else:
            steps.add(arrive, i, "arrive", assignee)
        if stall:
            return far, "stalled"
        self._complete(r, wo, steps, assignee, done, i)
        return done, "completed"

    def _complete(self, r: RequestPlan, wo: WOPlan, steps: _Steps, assignee: str, at: datetime, i: int,
                  again: bool = False) -> None:
        rng = self.rng
        subject = r.subject
        results = subject.results2 if wo.index == 2 and subject.results2 else subject.results
        choice = rng.randrange(len(results))
        result = results[choice]
        if again:  # the same fix, done properly this time
            earlier = next(s[5]["result"] for s in reversed(steps.items) if s[2] == i and s[3] == "complete")
            choice = results.index(earlier) if earlier in results else choice
            result = f"再次上门检修：{results[choice]}"
        materials = subject.materials[choice] if wo.index == 1 and choice < len(subject.materials) else ""
        confirmation = ""
        if r.room is not None and r.kind in ("repair", "help"):
            confirmation = "signature" if rng.random() < 0.65 else "code"
            if confirmation == "code":
                steps.add(at - self.minutes(1, 4), i, "send_code", assignee, code=f"{rng.randrange(10 ** 6):06d}")
        steps.add(at, i, "complete", assignee, result=result, materials=materials, confirmation=confirmation)

    def _reopen(self, r: RequestPlan, wo: WOPlan, staff: _Staff, steps: _Steps, replied: datetime) -> None:
        rng = self.rng
        i = wo.index - 1
        at = self.on_duty(replied + self.minutes(240, 4320), (8, 30), (20, 0))
        steps.add(at, i, "reopen", self.desk(staff, at), reason=rng.choice(REOPEN_REASONS))
        # Reopen sends the order back to its last assignee: find who that was.
        assignee = next(s[5].get("assignee") or s[4] for s in reversed(steps.items)
                        if s[2] == i and s[3] in ("accept", "grab", "complete"))
        t = self._accept_after(at, wo.department, False)
        steps.add(t, i, "accept", assignee)
        t = self.on_duty(t + self.lognorm(90, 0.8, 20, 600), (8, 30), (18, 0))
        steps.add(t, i, "arrive", assignee)
        done = t + self._work_time(r)
        self._complete(r, wo, steps, assignee, done, i, again=True)
        reply_at = self.on_duty(done + self.lognorm(40, 0.9, 5, 1200), (8, 0), (21, 0), 40)
        self._answer(r, staff, steps, reply_at)

    # -- answers -----------------------------------------------------------------------------------------------

    def _answer_time(self, r: RequestPlan, staff: _Staff) -> datetime:
        """When a request without work orders is answered."""
        t0 = r.received_at
        if r.kind == "inquiry":
            if r.channel in ("phone", "hotline", "walk_in") and self.rng.random() < 0.93:
                return t0 + self.minutes(1, 12)  # answered on the spot
            later = self.on_duty(t0, (8, 30), (18, 0), 30) + self.lognorm(40, 0.9, 3, 360)
            if self.rng.random() < 0.07:
                later += timedelta(days=1)
            return self.on_duty(later, (8, 30), (18, 0), 30)
        if r.kind == "suggestion":
            return self.on_duty(t0 + timedelta(days=self.rng.uniform(1, 5.5)), (9, 0), (17, 30))
        if r.kind == "praise":
            return self.on_duty(self.on_duty(t0, (8, 30), (18, 0), 30) + self.minutes(20, 360), (8, 30), (18, 0))
        return self.on_duty(t0 + self.minutes(120, 2400), (8, 30), (20, 0))  # complaints the manager settles

    def _answer(self, r: RequestPlan, staff: _Staff, steps: _Steps, at: datetime) -> None:
        rng = self.rng
        subject = r.subject
        names = self.names  # the staff this request's texts name
        valid, root_cause = None, ""
        if r.kind == "complaint":
            valid = rng.random() < subject.valid
            root_cause = rng.choice(subject.causes if valid else subject.invalid)
            if subject.depts:
                text = (f"您反映的{subject.key}问题已处理：{subject.results[0]}。"
                        if valid else f"经核实，{root_cause}，已向您说明情况。")
            else:
                text = (f"经调查，{root_cause}。我们已制定整改措施并跟进落实，感谢您的监督。"
                        if valid else f"经核实，{root_cause}。已向您解释说明，感谢您的理解。")
            actor = staff.pm if r.severity in ("major", "important") or not subject.depts else self.desk(staff, at)
        elif subject.depts:
            pending = [s for s in steps.items if s[3] == "complete"]
            result = pending[-1][5]["result"] if pending else subject.results[0]
            if pending:
                text = f"您反映的{subject.key}已处理完毕：{result}。如有问题请随时联系客服中心。"
            else:
                text = "已与您确认撤销本次报事，如有需要请随时联系客服中心。"
            if r.channel in ("patrol", "staff"):
                text = f"{subject.key}已整改完毕：{result}。" if pending else "报事已撤销。"
            actor = self.desk(staff, at)
        else:
            text = rng.choice(subject.results).format(**names)
            if r.kind == "inquiry":
                text = f"已答复：{text}。"
            elif r.kind == "praise":
                text = f"感谢您的表扬，{text}。"
            else:
                text = f"感谢您的建议，{text}。"
            actor = staff.pm if r.kind == "suggestion" and rng.random() < 0.5 else self.desk(staff, at)
        written = r.needs_written_reply and rng.random() < 0.9
        if written:
            text = f"尊敬的住户：您好！{text}特此回复。"
        steps.add(at, None, "reply", actor, text=text, written=written, valid=valid, root_cause=root_cause)

    # -- replay: what the services would have written -------------------------------------------------------------

    def _replay(self, r: RequestPlan, staff: _Staff, steps: _Steps) -> None:
        items = sorted(steps.items, key=lambda s: (s[0], s[1]))
        wos: dict[int, WOPlan] = {}
        templates = {wo.index - 1: wo for wo in r.work_orders}
        r.work_orders = []
        target = self.targets[r.rule]
        for at, _seq, index, action, actor, payload in items:
            if at >= self.as_of:
                break
            self._escalate(r, staff, wos, at)
            if index is None:
                self._apply_request(r, staff, action, actor, at, payload)
            else:
                if action == "create":
                    wo = templates[index]
                    wos[index] = wo
                    r.work_orders.append(wo)
                self._apply_work_order(r, wos[index], staff, action, actor, at, payload, target)
            new = request_state_from([WorkOrderState(wo.status) for wo in r.work_orders],
                                     replied=r.replied_at is not None, cancelled=False).value
            if new != r.status:
                r.events.append((at, "status", new, actor, STATUS_LABELS[new], False, {"from": r.status, "to": new},
                                 None))
                r.status = new
                r.closed_at = at if new == "closed" else None
                if new not in ("resolved", "closed"):
                    r.resolved_at = None
                elif r.resolved_at is None:
                    r.resolved_at = at
            r.updated_at = at
        self._escalate(r, staff, wos, self.as_of - timedelta(microseconds=1))
        for wo in r.work_orders:
            wo.next_escalation_at = self._next_rung(r, wo)
        if r.updated_at is None:
            r.updated_at = r.received_at

    def _apply_request(self, r: RequestPlan, staff: _Staff, action: str, actor, at: datetime, payload) -> None:
        if action == "created":
            r.events.append((at, "created", "", actor, f"通过{CHANNEL_LABELS[r.channel]}受理。", False,
                             {"urgent": r.urgent, "rule": r.rule}, None))
        elif action == "intake":
            rule = escalation.intake_rule(r.severity)
            for relation in rule.notify:
                r.events.append((at, "escalation", f"intake_{relation}", None, f"受理时已报告{WHO_LABELS[relation]}。",
                                 False, {}, None))
            if rule.needs_acknowledgement:
                r.escalations_sent = []
                r.next_escalation_at = r.respond_by
        elif action == "ack":
            r.acknowledged_at, r.acknowledged_by = at, actor
            r.next_escalation_at = None
            role = "branch_leader" if actor == staff.leader else "project_manager"
            on_time = r.respond_by is None or at <= r.respond_by
            when = "在受理时限内" if on_time else "已超过受理时限"
            r.events.append((at, "acknowledged", "acknowledge", actor, f"{WHO_LABELS[role]}已接手处理（{when}）。",
                             False, {"on_time": on_time, "role": role}, None))
        elif action == "note":
            r.events.append((at, "comment", "", actor, payload["text"], True, {}, None))
        elif action == "reply":
            r.reply, r.replied_at = payload["text"], at
            if payload["written"]:
                r.written_reply, r.written_reply_at = payload["text"], at
            if r.kind == "complaint":
                r.complaint_valid, r.root_cause = payload["valid"], payload["root_cause"]
            r.events.append((at, "reply", "", actor, payload["text"], False, {"written": payload["written"]}, None))

    def _apply_work_order(self, r: RequestPlan, wo: WOPlan, staff: _Staff, action: str, actor, at: datetime,
                          payload, target) -> None:
        message = payload.get("reason", "")
        dept_name = f"{staff.name}{DEPARTMENT_LABELS[wo.department]}"
        if action == "create":
            wo.created_at = wo.changed_at = at
            wo_number = numbers.work_order_number(r.number, wo.index)
            r.events.append((at, "work_order", "create", actor, f"工单{wo_number}派{dept_name}。", False, {}, wo.index))
            wo.rungs = self._rungs(r, wo)
            return
        if action == "send_code":
            wo.code_hash = hashlib.sha256(
                f"{numbers.work_order_number(r.number, wo.index)}:{payload['code']}".encode()).hexdigest()
            wo.code_sent_at = at
            r.events.append((at, "work_order", "send_code", actor, "已向住户发送确认码。", False, {}, wo.index))
            return
        if action in ("dispatch", "reassign"):
            wo.assignee = payload["assignee"]
            wo.dispatcher, wo.dispatched_at, wo.accepted_at = actor, at, None
            message = message or f"派单给{staff.names[wo.assignee]}。"
            wo.status = "dispatched"
        elif action == "pool":
            wo.assignee, wo.dispatcher, wo.dispatched_at = None, actor, at
            message = f"放入{dept_name}抢单池。"
            wo.status = "pooled"
        elif action == "grab":
            wo.assignee, wo.accepted_at = actor, at
            message = f"{staff.names[actor]}抢单。"
            wo.status = "accepted"
        elif action == "accept":
            wo.accepted_at = at
            wo.status = "accepted"
        elif action == "reject":
            wo.assignee, wo.accepted_at = None, None
            wo.status = "pending"
        elif action == "arrive":
            wo.arrived_at = at
            wo.status = "on_site"
        elif action == "hold":
            wo.held_since, wo.hold_reason = at, payload["hold_reason"]
            wo.status = "on_hold"
        elif action == "resume":
            self._release(wo, at, target)
            wo.status = "accepted"
        elif action == "complete":
            self._release(wo, at, target)
            wo.result, wo.materials, wo.completed_at = payload["result"], payload["materials"], at
            if payload["confirmation"]:
                wo.confirmation_method = payload["confirmation"]
                wo.signature = SIGNATURE if payload["confirmation"] == "signature" else ""
                wo.confirmed_at = at
            message = wo.result
            wo.status = "completed"
        elif action == "cancel":
            self._release(wo, at, target)
            wo.status = "cancelled"
        elif action == "reopen":
            wo.reopen_count += 1
            wo.completed_at = wo.confirmed_at = wo.accepted_at = None
            wo.result = ""
            wo.dispatched_at = at
            r.replied_at = None  # the earlier answer no longer closes it
            wo.status = "dispatched"
        wo.changed_at = at
        wo.rungs = self._rungs(r, wo)
        data = {"status": wo.status, "assignee_id": wo.assignee}
        if action == "hold":
            data["hold_reason"] = payload["hold_reason"]
        r.events.append((at, "work_order", action, actor, message, False, data, wo.index))

    def _release(self, wo: WOPlan, at: datetime, target) -> None:
        if wo.held_since is None:
            return
        if wo.resolve_by:
            wo.resolve_by = sla.extend_for_hold(resolve_by=wo.resolve_by, held_from=wo.held_since, held_until=at,
                                                target=target, calendar=self.calendar)
        wo.held_seconds += int((at - wo.held_since).total_seconds())
        wo.held_since, wo.hold_reason = None, ""

    def _rungs(self, r: RequestPlan, wo: WOPlan) -> list[tuple[datetime, escalation.Rung]]:
        """Unsent rungs of the order's ladders with their fire times, as the sweep sees the order now."""
        sent = frozenset(wo.escalations_sent)
        out = []
        if wo.status in WAITING and wo.respond_by:
            start = wo.dispatched_at or wo.created_at
            if start >= wo.respond_by:
                start = wo.respond_by - timedelta(seconds=1)
            out += [(escalation.fire_at(rung, start=start, deadline=wo.respond_by), rung)
                    for rung in self.accept_ladder if rung.key not in sent]
        if wo.status not in ("completed", "cancelled", "on_hold") and wo.resolve_by and r.received_at < wo.resolve_by:
            out += [(escalation.fire_at(rung, start=r.received_at, deadline=wo.resolve_by), rung)
                    for rung in self.ladder if rung.key not in sent]
        return out

    def _escalate(self, r: RequestPlan, staff: _Staff, wos: dict[int, WOPlan], upto: datetime) -> None:
        """Send what the sweep (every minute) would have sent by ``upto``, each rung once."""
        due = []
        for wo in wos.values():
            for at, rung in wo.rungs:
                at = max(at, wo.changed_at + SWEEP_DELAY)
                if at <= upto:
                    due.append((at, wo.index, rung, wo))
        for at, _index, rung, wo in sorted(due, key=lambda item: (item[0], item[1])):
            recipients = self._recipients(rung.recipient, r, wo, staff)
            r.events.append((at, "escalation", rung.key, None, f"已升级至{WHO_LABELS[rung.recipient]}。", False,
                             {"recipients": recipients}, wo.index))
            wo.escalations_sent.append(rung.key)
            wo.rungs = [item for item in wo.rungs if item[1] is not rung]
        if r.next_escalation_at is not None and r.next_escalation_at <= upto and r.acknowledged_at is None:
            rule = escalation.intake_rule(r.severity)
            who = [staff.leader] if rule.unacknowledged == "branch_leader" else []
            r.events.append((r.next_escalation_at, "escalation", rule.ack_rung(), None,
                             f"已升级至{WHO_LABELS[rule.unacknowledged]}。", False, {"recipients": who}, None))
            r.escalations_sent = [*r.escalations_sent, rule.ack_rung()]
            r.next_escalation_at = None

    def _recipients(self, relation: str, r: RequestPlan, wo: WOPlan, staff: _Staff) -> list[str]:
        if relation == "assignee":
            return [wo.assignee] if wo.assignee else list(staff.members[wo.department])
        if relation in ("department_head", "project_manager"):  # the demo's departments have no head
            return [staff.pm]
        if relation == "branch_leader":
            return [staff.leader]
        return [wo.dispatcher or r.created_by]

    def _next_rung(self, r: RequestPlan, wo: WOPlan) -> datetime | None:
        times = [at for at, _rung in self._rungs(r, wo)]
        return min(times, default=None)


# --- writing ---------------------------------------------------------------------------------------------------


@contextmanager
def _historical_timestamps():
    """Let bulk_create keep the planned creation and update times instead of stamping "now" on a year of rows."""
    fields = [WorkOrder._meta.get_field("created_at"), ServiceRequest._meta.get_field("updated_at")]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def build_history(plan: DemoPlan, *, stdout=None) -> dict[str, int]:
    """Write the year of requests for the demo just written from ``plan`` (call inside its transaction)."""
    started = clock.monotonic()
    codes = [pp.spec.code for pp in plan.projects]
    projects = {p.code: p for p in Project.objects.filter(code__in=codes)}
    departments = {(d.project_id, d.kind): d.pk for d in Department.objects.filter(project__in=projects.values())}
    users = {u.username: u.pk for u in get_user_model().objects.filter(
        username__in=[s.username for s in plan.staff])}
    areas: dict[int, list[int]] = defaultdict(list)
    for pk, project_id in CommonArea.objects.filter(project__in=projects.values()).order_by("id").values_list(
            "id", "project_id"):
        areas[project_id].append(pk)
    counts = {"requests": 0, "work orders": 0, "events": 0}
    last_numbers: dict[tuple[int, str], int] = {}
    with _historical_timestamps():
        batch: list[RequestPlan] = []
        for request in iter_history(plan):
            batch.append(request)
            if len(batch) >= CHUNK:
                _write_batch(batch, projects, departments, users, areas, counts, last_numbers)
                batch = []
                _progress(stdout, counts, started)
        if batch:
            _write_batch(batch, projects, departments, users, areas, counts, last_numbers)
    Counter.objects.bulk_create([Counter(key=numbers.request_counter_key(project_id, day), value=value)
                                 for (project_id, day), value in sorted(last_numbers.items())], batch_size=BATCH)
    if stdout is not None:
        stdout.write(f"  {counts['requests']:,} requests, {counts['work orders']:,} work orders and "
                     f"{counts['events']:,} timeline entries of history written in {clock.monotonic() - started:.1f} s")
    return counts


PROGRESS_EVERY = 4000


def _progress(stdout, counts: dict[str, int], started: float) -> None:
    """A line every few thousand requests: the history is most of the build, and minutes of silence look like a hang."""
    if stdout is not None and counts["requests"] // PROGRESS_EVERY != (counts["requests"] - CHUNK) // PROGRESS_EVERY:
        stdout.write(f"    … {counts['requests']:,} requests of history so far ({clock.monotonic() - started:.0f} s)")


EVENT_FIELDS = [f.attname for f in TimelineEvent._meta.concrete_fields]


def _write_batch(batch: list[RequestPlan], projects, departments, users, areas, counts, last_numbers) -> None:
    rows = []
    for r in batch:
        project = projects[r.project]
        day = r.received_at.date()  # local (the planner's zone), as request_submit takes it
        sequence = int(r.number.rsplit("-", 1)[1])
        key = (project.pk, day)
        last_numbers[key] = max(last_numbers.get(key, 0), sequence)
        rows.append(ServiceRequest(
            project_id=project.pk, number=r.number, channel=r.channel, kind=r.kind, status=r.status,
            reporter_id=r.reporter.obj.pk if r.reporter is not None else None,
            contact_name=r.contact_name, contact_phone=r.contact_phone,
            room_id=r.room.obj.pk if r.room is not None else None,
            common_area_id=areas[project.pk][r.area] if r.area is not None else None,
            location_note=r.location_note, occurred_at=r.occurred_at, description=r.description, cause=r.cause,
            impact=r.impact, resident_request=r.resident_request, resident_deadline=r.resident_deadline,
            appointment_at=r.appointment_at, emotion=r.emotion, urgent=r.urgent,
            complaint_category=r.complaint_category, severity=r.severity,
            complained_department_id=departments.get((project.pk, r.complained_department)),
            complained_person=r.complained_person, complaint_valid=r.complaint_valid, root_cause=r.root_cause,
            needs_written_reply=r.needs_written_reply, written_reply=r.written_reply,
            written_reply_at=r.written_reply_at, reply=r.reply, replied_at=r.replied_at, closed_at=r.closed_at,
            resolved_at=r.resolved_at,
            received_at=r.received_at, respond_by=r.respond_by, resolve_by=r.resolve_by,
            acknowledged_at=r.acknowledged_at, escalations_sent=r.escalations_sent,
            acknowledged_by_id=users[r.acknowledged_by] if r.acknowledged_by else None,
            next_escalation_at=r.next_escalation_at, created_by_id=users[r.created_by], updated_at=r.updated_at))
    _bulk(ServiceRequest, rows, ("project_id", "number"))
    orders, order_of = [], {}
    for r, row in zip(batch, rows, strict=True):
        for wo in r.work_orders:
            obj = WorkOrder(
                request_id=row.pk, project_id=row.project_id, number=numbers.work_order_number(r.number, wo.index),
                department_id=departments[(row.project_id, wo.department)], status=wo.status,
                assignee_id=users[wo.assignee] if wo.assignee else None,
                dispatcher_id=users[wo.dispatcher] if wo.dispatcher else None, instructions=wo.instructions,
                created_at=wo.created_at, dispatched_at=wo.dispatched_at, accepted_at=wo.accepted_at,
                arrived_at=wo.arrived_at, completed_at=wo.completed_at, held_since=wo.held_since,
                held_seconds=wo.held_seconds, hold_reason=wo.hold_reason, respond_by=wo.respond_by,
                arrive_by=wo.arrive_by, resolve_by=wo.resolve_by, escalations_sent=wo.escalations_sent,
                next_escalation_at=wo.next_escalation_at, result=wo.result, materials=wo.materials,
                confirmation_method=wo.confirmation_method, signature=wo.signature,
                confirmation_code_hash=wo.code_hash, confirmation_code_sent_at=wo.code_sent_at,
                confirmed_at=wo.confirmed_at, reopen_count=wo.reopen_count)
            orders.append(obj)
            order_of[(id(r), wo.index)] = obj
    _bulk(WorkOrder, orders, ("project_id", "number"))
    events = []
    for r, row in zip(batch, rows, strict=True):
        for at, kind, action, actor, message, internal, data, index in r.events:
            if "assignee_id" in data:
                data = {**data, "assignee_id": users[data["assignee_id"]] if data["assignee_id"] else None}
            elif "recipients" in data:
                data = {"recipients": [users[name] for name in data["recipients"]]}
            values = {"id": None, "request_id": row.pk, "kind": kind, "action": action, "at": at,
                      "work_order_id": order_of[(id(r), index)].pk if index is not None else None,
                      "actor_id": users[actor] if actor else None, "message": message, "internal": internal,
                      "data": data}
            events.append(TimelineEvent(*[values[name] for name in EVENT_FIELDS]))  # positional: half the cost
    TimelineEvent.objects.bulk_create(events, batch_size=BATCH)
    counts["requests"] += len(rows)
    counts["work orders"] += len(orders)
    counts["events"] += len(events)
    reset_queries()  # with DEBUG on, Django keeps every statement (megabytes each here) in memory


def _bulk(model, objs: list, key: tuple[str, ...]) -> None:
    """bulk_create that leaves every object with its primary key, also on backends that return none."""
    model._default_manager.bulk_create(objs, batch_size=BATCH)
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        wanted = {tuple(getattr(obj, f) for f in key) for obj in missing}
        project_ids = {obj.project_id for obj in missing}
        lookup = {tuple(row[:-1]): row[-1] for row in model._default_manager.filter(
            project_id__in=project_ids).values_list(*key, "pk") if tuple(row[:-1]) in wanted}
        for obj in missing:
            obj.pk = lookup[tuple(getattr(obj, f) for f in key)]
