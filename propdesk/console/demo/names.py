"""Chinese names, phone numbers and ID numbers for the demo, and the random source that draws them uniquely."""

from __future__ import annotations

import random
from datetime import date, timedelta

from propdesk.console.demo.spec import BRANCHES, BranchSpec
from propdesk.customers.rules.phones import id_check_digit

MOBILE_PREFIXES = ("138", "139", "150", "151", "186", "187", "188", "135", "136", "137", "158", "159", "177",
                   "180", "189", "199")
OTHER_ID_REGIONS = ("110105", "120103", "320102", "320583", "330106", "340104", "350203", "360102", "370212",
                    "410105", "420106", "430104", "440106", "440304", "500103", "500112", "610113", "510703",
                    "511302", "511502")

# Surnames with rough relative frequency (per 1000).
SURNAMES = (
    ("王", 71), ("李", 70), ("张", 67), ("刘", 54), ("陈", 45), ("杨", 31), ("黄", 22), ("赵", 20),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 15), ("马", 13), ("朱", 13), ("胡", 13), ("郭", 12),
    ("何", 12), ("高", 11), ("林", 11), ("罗", 11), ("郑", 10), ("梁", 10), ("谢", 8), ("宋", 8),
    ("唐", 8), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 7), ("彭", 6), ("曾", 6),
    ("肖", 6), ("田", 6), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5),
    ("余", 5), ("杜", 5), ("叶", 4), ("程", 4), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4),
    ("任", 4), ("沈", 4), ("姚", 4), ("卢", 4), ("姜", 4), ("崔", 3), ("钟", 3), ("谭", 3),
    ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3),
    ("付", 3), ("方", 3), ("白", 3), ("邹", 3), ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3),
    ("江", 3), ("尹", 3), ("薛", 2), ("闫", 2), ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2),
    ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2), ("郝", 2), ("龚", 2),
    ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("武", 2), ("戴", 2), ("莫", 1), ("孔", 1),
    ("向", 1), ("汤", 1), ("欧阳", 0.3), ("上官", 0.1), ("司马", 0.1),
)

# Given names by generation (born up to 1965, 1966–1995, from 1996) and gender.
GIVEN_NAMES = {
    ("old", "m"): "建国 建华 国庆 国强 国华 卫东 卫国 志刚 志明 志强 德明 德华 文华 文明 "
                  "家富 永福 永强 长林 金宝 福生 根生 宝山 振华 海生 立新 红军 学军 援朝 "
                  "明 华 军 强 平 林 勇 刚 斌 忠",
    ("old", "f"): "秀英 桂英 秀兰 玉兰 桂兰 凤英 秀珍 玉珍 淑珍 淑芬 桂芳 玉梅 秀芳 丽华 "
                  "美华 凤兰 金凤 红梅 冬梅 彩霞 爱华 素珍 翠英 兰英 芳 英 珍 兰 "
                  "梅 华 琴",
    ("mid", "m"): "伟 强 磊 军 勇 杰 涛 斌 超 明 刚 平 辉 鹏 "
                  "飞 波 宇 浩 凯 健 俊 帆 旭 宁 龙 峰 建军 志伟 "
                  "海涛 俊杰 晓东 永刚 建明 伟东 振宇 文杰 晓明 建平 立军 海波 云龙 国栋 "
                  "剑 亮 毅 昊 晨 坤 志勇 晓峰",
    ("mid", "f"): "芳 娜 敏 静 丽 艳 娟 霞 婷 雪 慧 颖 琳 倩 "
                  "燕 玲 萍 红 洁 琴 晶 莉 蕾 晓燕 丽娟 海燕 晓丽 雪梅 "
                  "春燕 丹丹 婷婷 晓红 美玲 秀梅 丽萍 小红 慧敏 思思 佳 悦 晓静 雅琴",
    ("young", "m"): "子轩 浩然 宇轩 皓轩 梓豪 俊熙 宇航 浩宇 一鸣 睿 博文 子墨 思远 泽宇 "
                    "天佑 铭轩 嘉懿 逸飞 宇泽 晨阳 子豪 俊宇 浩轩 煜 昊天 明轩 梓睿 奕辰 "
                    "文博 嘉豪",
    ("young", "f"): "欣怡 梓涵 诗涵 雨萱 子涵 佳怡 思涵 梦琪 可馨 一诺 紫萱 若曦 雨桐 语嫣 "
                    "欣然 诗琪 梓萱 芷若 心怡 佳琪 思雨 紫涵 雨欣 子萱 馨月 安琪 依诺 梦瑶 "
                    "佳慧 雨涵",
}
GIVEN = {key: tuple(text.split()) for key, text in GIVEN_NAMES.items()}

class _Context:
    """The random source and what must stay unique while planning."""

    def __init__(self, seed: int, today: date):
        self.rng = random.Random(seed)
        self.today = today
        self.numbers: set[str] = set()  # phone numbers: unique across the demo, so within each project
        self.id_numbers: set[str] = set()
        self.keys = 0
        self._surnames = [s for s, _w in SURNAMES]
        self._weights = {city.code: [w * (2.5 if s in city.local_surnames else 1.0) for s, w in SURNAMES]
                         for city in BRANCHES}

    def surname(self, branch: BranchSpec) -> str:
        return self.rng.choices(self._surnames, weights=self._weights[branch.code])[0]

    def given(self, gender: str, birth_year: int) -> str:
        generation = "old" if birth_year <= 1965 else "mid" if birth_year <= 1995 else "young"
        return self.rng.choice(GIVEN[(generation, gender)])

    def mobile(self) -> str:
        while True:
            number = self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randrange(10 ** 8):08d}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def landline(self, branch: BranchSpec) -> str:
        while True:
            local = f"{self.rng.choice(branch.local_digits)}{self.rng.randrange(10 ** 7):07d}"
            number = f"{branch.area_code}-{local}"
            if number not in self.numbers:
                self.numbers.add(number)
                return number

    def id_number(self, branch: BranchSpec, birth: date, gender: str) -> str:
        regions = branch.id_regions if self.rng.random() < 0.7 else OTHER_ID_REGIONS
        while True:
            sequence = self.rng.randrange(100) * 10 + self.rng.choice((1, 3, 5, 7, 9) if gender == "m"
                                                                       else (0, 2, 4, 6, 8))
            first17 = f"{self.rng.choice(regions)}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def day(self, start: date, end: date) -> date:
        """A day from start to end inclusive, uniformly."""
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))
