"""A room code (3-2-1502, 3栋2单元1502室, 3#2-1502) or a common area named in a message."""

import re

SEP = r"\s*[-－—_/]\s*"
ROOM_PATTERNS = [
    re.compile(r"(?<!\d)(\d{1,3})" + SEP + r"(\d{1,2})" + SEP + r"(\d{3,4})(?!\d)"),
    re.compile(r"(?<!\d)(\d{1,3})\s*(?:栋|幢|号楼|#楼?|座|号)\s*(\d{1,2})\s*(?:单元|-)\s*(\d{3,4})(?!\d)"),
]
BUILDING = re.compile(r"(?<![\dA-Za-z])(\d{1,3})\s*(?:栋|幢|号楼|#楼)")

# Longest first so that 地下车库 wins over 车库.
COMMON_AREAS = sorted([
    "地下车库", "地库", "车库", "停车场", "大堂", "电梯", "楼道", "楼梯间", "消防通道", "广场", "绿化带", "草坪",
    "会所", "游泳池", "游乐场", "儿童游乐区", "垃圾站", "垃圾分类站", "单元门", "小区门口", "东门", "西门", "南门",
    "北门", "大门", "天台", "楼顶", "屋顶", "配电房", "水泵房", "健身器材", "电动车棚", "快递柜", "驿站", "中心花园",
    "水景池", "门岗", "保安亭", "岗亭", "公共卫生间", "信报箱",
], key=len, reverse=True)
AREA = re.compile("|".join(re.escape(a) for a in COMMON_AREAS))


def find_location(text: str) -> dict:
    """{"room_code", "building", "common_area", "confidence", "evidence"}: what the text names, None where nothing."""
    room_code = building = area = None
    evidence = []
    for pattern in ROOM_PATTERNS:
        m = pattern.search(text)
        if m:
            room_code = f"{int(m.group(1))}-{int(m.group(2))}-{m.group(3)}"
            building = str(int(m.group(1)))
            evidence.append(m.group(0))
            break
    if building is None:
        m = BUILDING.search(text)
        if m:
            building = str(int(m.group(1)))
            evidence.append(m.group(0))
    m = AREA.search(text)
    if m:
        area = m.group(0)
        evidence.append(area)
    confidence = 0.95 if room_code else 0.7 if (area or building) else 0.0
    return {"room_code": room_code, "building": building, "common_area": area, "confidence": confidence,
            "evidence": evidence}
