"""The phrases a writer must not send to a resident, from the handbooks' 服务禁用语 and 文明用语 (seeds 001, 002):
决不能说“不清楚”“不知道”“没办法解决”“我们不管”; 避免跟顾客说“不行、不知道、不可以”; 不得推诿责任, 不以恶言相待.
Each has a kind, the handbook's reason (an English msgid, translated where it is shown) and a phrasing to use
instead (Chinese: it is what the writer says to a Chinese resident, whatever the language of the screen).

``pattern`` is a regular expression over the *compact* text (spaces and punctuation removed, traditional characters
folded to simplified: see matching.py), so that 不 知 道, 不，知道 and 不知道 all match. ``safe_before`` /
``safe_after`` are contexts in which the words are harmless (如有不清楚的地方…, 不知道您是否方便…, 我们不管多晚都…);
``alone`` phrases count only as a whole clause (不行。 but not 楼道内不能堆放杂物)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    FORBIDDEN = "forbidden"  # 服务禁用语: named by the handbooks
    COLD = "cold"  # cold, impatient or refusing
    BLAMING = "blaming"  # puts the fault on the resident


# The handbooks' reasons, English msgids (the Chinese is in django.po).
DONT_KNOW = ("The handbook forbids “I don't know” and “not clear”: say you will find out, record the question and "
             "promise a time for the answer.")
CANNOT_SOLVE = ("A problem you cannot solve yourself is never “impossible to solve”: pass it to whoever can and "
                "tell the resident when they will hear back.")
NOT_OURS = ("Even a matter outside our remit is never “not our business”: record it, help the resident reach who "
            "handles it and follow it up.")
PUSH_AWAY = ("Do not send the resident away: every matter comes through the center, which records it and "
             "coordinates with the developer, the leadership or other units.")
IMPATIENT = "Impatient or reproachful words are forbidden: listen patiently and explain again kindly."
OFF_HOURS = ("Never put a resident off because of the hour: record the matter and say when it will be handled; "
             "the staff on duty act now.")
REFUSAL = "Avoid a bare “no” (不行, 不可以): say what can be done instead."
BLAME = ("Do not blame the resident: explain the cause and what can be done, never “it is your own problem”.")
DISTANT = ("Cold, distant wording: address the resident as 您 and speak with them, not against “you owners”.")
RIGID = "Do not hide behind the rules: explain why the rule exists and offer what can be done."

YOU = "(?:你|您)"
WE = "(?:我们|我|咱们|物业|我们物业|我们这边|我这边)"
# "regardless of" after 不管 (我们不管多晚都会…): not a refusal.
REGARDLESS = ("^(?:多|怎么|怎样|什么|是否|如何|几|谁|哪|刮风|下雨|白天|晚上|大小|早晚|有没有|是不是|任何|您|你|业主|"
              "住户|刮|节假日|周末)")


@dataclass(frozen=True)
class Phrase:
    phrase: str  # the canonical phrase, as the report counts it
    kind: Kind
    pattern: str
    reason: str
    suggestion: str
    safe_before: str = ""  # a regex the compact text just before the match ends with ($ implied by the caller)
    safe_after: str = ""  # a regex the compact text just after the match starts with (^ in the pattern)
    alone: bool = False  # only a whole clause
    regex: re.Pattern = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "regex", re.compile(self.pattern))


PHRASES: tuple[Phrase, ...] = (
    Phrase("不知道", Kind.FORBIDDEN, r"不知道|不晓得|哪知道|哪晓得|勿晓得|弗晓得|唔知道?", DONT_KNOW,
           "我帮您确认一下，稍后给您答复",
           safe_before=r"(?:您|你|如果|若|如|是否|假如|要是|他|她|业主|住户)(?:还|也|都)?$",
           safe_after=r"^(?:(?:您|你)(?:是否|能否|可否|有没有|什么时候|何时|哪天|方便|方不方便|明天|今天|那边|家|是不是|"
                      r"对|觉得)|是否|能否|可否)"),
    Phrase("不清楚", Kind.FORBIDDEN, r"不(?:太|是很|大)?清楚", DONT_KNOW, "这个问题我马上帮您核实，今天给您回复",
           safe_before=r"(?:有|您|你|如|若|如有|若有|是否|说|讲|写|看|听|拍|印|字迹|照片|号码|标识)(?:得|的|还|也)?$",
           safe_after=r"^(?:的地方|之处|的话|的问题|处|的|可)"),
    Phrase("没办法解决", Kind.FORBIDDEN,
           r"没(?:有)?(?:办法|法子|法)(?:解决|处理|弄|修|管)|解决不了|处理不了|无法解决|无能为力|修不了|弄不了",
           CANNOT_SOLVE, "这个问题我们会请专业人员协助处理，并在约定时间内给您答复",
           safe_before=r"(?:没有|不存在|不会有|不会|绝不会|哪有|决不会)$"),
    Phrase("我们不管", Kind.FORBIDDEN, WE + r"(?:可|也|才|就|都|是|可是)?(?:不管|管不了|管不着|不负责)",
           NOT_OURS, "这件事虽不在物业的服务范围内，我帮您联系相关单位并跟进结果", safe_after=REGARDLESS),
    Phrase("不归我们管", Kind.FORBIDDEN,
           r"不归" + WE + r"(?:管|负责)|不关" + WE + r"的?事|(?:跟|和|与)" + WE + r"(?:没有?关系|无关)"
           r"|不是" + WE + r"(?:负责|的事|的责任|该管|管的)",
           NOT_OURS, "这件事虽不在物业的服务范围内，我帮您联系相关单位并跟进结果"),
    Phrase("你自己看着办", Kind.FORBIDDEN, YOU + r"?(?:自己)?看着办", PUSH_AWAY, "我给您几个可行的办法，您看哪个更合适",
           safe_before=r"(?:我们|我|帮您|帮你)$"),
    Phrase("找开发商去", Kind.FORBIDDEN, YOU + r"(?:自己|直接)?(?:去)?找开发商(?:去)?|找开发商去", PUSH_AWAY,
           "这属于开发商保修范围，我们帮您登记并转交开发商，跟进处理进度",
           safe_before=r"(?:帮|替|为|代|陪|协助)$"),
    Phrase("有意见找领导", Kind.FORBIDDEN,
           r"有意见" + YOU + r"?(?:就|可以|尽管|自己)?(?:去)?找(?:我们)?(?:领导|经理|上面|公司)"
           r"|" + YOU + r"(?:去)?找(?:我们)?领导去",
           PUSH_AWAY, "您的意见很重要，我先记录下来，并请主管尽快与您联系"),
    Phrase("刚才不是跟你说了吗", Kind.FORBIDDEN,
           r"不是(?:已经|刚才|早就)?(?:跟|和|给|对)?" + YOU + r"?说(?:过)?了吗"
           r"|(?:我|刚才|刚刚)(?:已经|早就|都)(?:跟|和|给)?" + YOU + r"?说(?:过)?(?:了|多少遍)|说了多少遍|说过多少遍",
           IMPATIENT, "我再给您详细说明一下"),
    Phrase("急什么", Kind.FORBIDDEN, r"(?:急|着急)(?:什么|啥)|着什么急|急也没用", IMPATIENT,
           "我理解您很着急，我们会尽快为您处理"),
    Phrase("下班了明天再说", Kind.FORBIDDEN,
           r"下班了?(?:明天|明早|改天|回头|以后|下周|过两天)再(?:说|来|打|讲|办|弄)|(?:已经|都|早)下班了",
           OFF_HOURS, "我先帮您记录下来，值班人员会马上为您处理",
           safe_before=r"(?:如|若|如果|即使|就算)$"),
    Phrase("不行", Kind.COLD, r"(?:这|那|这个|那个|这样|那样|肯定|绝对)?(?:不行|不可以|不能)(?:的|啊|吧|呀|哦|了)?",
           REFUSAL, "这样做可能有困难，我们可以换个办法：……", alone=True),
    Phrase("你们业主", Kind.BLAMING, r"你们(?:这些|这种)?(?:业主|住户)", DISTANT, "您（或：各位业主）",
           safe_after=r"^(?:委员会|大会|群|代表|服务)"),
    Phrase("是你自己", Kind.BLAMING, r"(?:是|都是|还不是|全是|只怪)" + YOU + r"自己", BLAME,
           "我们一起看看原因，我帮您想办法解决"),
    Phrase("这是你的问题", Kind.BLAMING,
           r"(?:这|那)?是" + YOU + r"(?:自己)?的(?:问题|责任|错)|" + YOU + r"自己的(?:问题|责任|错)", BLAME,
           "这个情况我们一起来看看怎么解决"),
    Phrase("你怎么不早说", Kind.BLAMING, r"怎么不早说|怎么(?:现在)?才(?:说|来说|打电话)", BLAME,
           "谢谢您告诉我们，我们马上处理"),
    Phrase("听不懂吗", Kind.COLD, r"听不懂(?:吗|啊|呀|么)|听懂了没有|听明白了没有|听没听懂", IMPATIENT,
           "我换个方式再给您说明一下"),
    Phrase("爱找谁找谁", Kind.COLD, r"爱找谁找谁|" + YOU + r"?(?:爱|随便|尽管)(?:去)?(?:投诉|告)", PUSH_AWAY,
           "您的意见我们很重视，我记录下来并尽快给您答复"),
    Phrase("规定就是这样", Kind.COLD, r"(?:规定|制度|公司规定)就是这样|就是这么规定的|没有为什么", RIGID,
           "这项规定是为了大家的安全和权益，我们可以为您这样安排：……"),
    Phrase("怎么又是你", Kind.COLD, r"怎么又是" + YOU, DISTANT, "您好，请问这次有什么可以帮您？"),
)
