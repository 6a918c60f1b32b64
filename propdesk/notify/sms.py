"""Text messages in mainland China go out only through templates approved by the SMS provider: a fixed wording with
named variables, sent under an approved signature (签名). This is PropDesk's register of those templates. A message
is queued with a template code and its parameters (``outbox_add(channel="sms", template=…, params=…)``); a gateway
channel sends the provider's template id and the parameters, and the log channel and the outbox show the text
rendered here.

To go live, register each template below with the provider, word for word (the variables in the same order for
Tencent Cloud, whose templates number them {1}, {2} …), and map our codes to the provider's ids in
``PROPDESK_SMS["template_ids"]``.
"""

import string
from dataclasses import dataclass

from django.conf import settings

# Providers cap a variable's value (Aliyun: 35 characters for most variable types); a longer value is cut, with an
# ellipsis, when the message is queued, so the text the outbox shows is the text the resident gets.
PARAM_MAX_LENGTH = 35


@dataclass(frozen=True)
class SmsTemplate:
    code: str
    text: str  # the approved wording, with {named} variables
    unlimited: tuple[str, ...] = ()  # variables exempt from the length cap (a link registered as a link variable)
    secret: tuple[str, ...] = ()  # variables that must not reach a log (one-time codes)

    @property
    def variables(self) -> list[str]:
        """The variables in the order they appear: the order of Tencent Cloud's {1}, {2} …"""
        return [name for _text, name, _spec, _conv in string.Formatter().parse(self.text) if name]


TEMPLATES = {template.code: template for template in (
    SmsTemplate("request_recorded", "您的报事{number}已受理，我们会尽快处理。"),
    SmsTemplate("request_reply", "您的报事{number}有新答复：{text}"),
    # An inquiry answered on the phone and closed in the same step: the answer is the one message. An answer longer
    # than a variable may be is cut, so the second wording says where the whole of it is.
    SmsTemplate("inquiry_answered", "关于您咨询的{topic}：{text}"),
    SmsTemplate("inquiry_answered_in_app", "关于您咨询的{topic}：{text}（完整答复请在住这儿App的报事{number}中查看）"),
    SmsTemplate("technician_on_the_way", "{name}已接单，将上门处理您的报事{number}。"),
    SmsTemplate("work_done", "您的报事{number}已处理完毕：{result}"),
    SmsTemplate("payment_received", "已收到工单{number}的付款{amount}，收据号{receipt}。"),
    SmsTemplate("incident_update", "您的报事{number}有新进展：{text}"),
    SmsTemplate("completion_code", "工单{number}的完工确认码为{code}，请在维修完成后再告诉维修人员。",
                secret=("code",)),
    SmsTemplate("quote_code", "工单{number}报价{total}（{lines}），如同意请把同意码{code}告诉维修人员。",
                secret=("code",)),
    SmsTemplate("notice_urgent", "{project}紧急通知：{title}。详情请在住这儿App的公告中查看。"),
    SmsTemplate("notice_update", "{title}最新进展：{text}"),
    SmsTemplate("rating_link", "您的报事{number}已处理，请为本次服务评价：{url}", unlimited=("url",),
                secret=("url",)),  # the link carries a single-use token
    SmsTemplate("fee_reminder", "您的住房{room}尚有物业费{amount}元未缴，请在住这儿缴费。"),
    SmsTemplate("violation_notice", "您的住房{room}有违章（{kind}），请于{deadline}前整改。详情请在住这儿App中查看。"),
    SmsTemplate("signin_code", "您的登录验证码为{code}，5分钟内有效。如非本人操作，请忽略本短信。", secret=("code",)),
)}


def sign_name() -> str:
    """The approved signature, shown in 【】 in front of every message."""
    return getattr(settings, "PROPDESK_SMS", {}).get("sign_name") or "PropDesk物业"


def sms_params(template: str, params: dict) -> dict[str, str]:
    """The parameters as the provider takes them: exactly the template's variables, as text, each cut to the
    providers' length cap. A missing or unknown variable is a programming error and raises."""
    spec = TEMPLATES[template]  # KeyError: not a registered template
    given, wanted = set(params), set(spec.variables)
    if given != wanted:
        raise ValueError(f"SMS template {template} takes {sorted(wanted)}, got {sorted(given)}")
    return {name: _cap(str(params[name]), None if name in spec.unlimited else PARAM_MAX_LENGTH)
            for name in spec.variables}


def sms_render(template: str, params: dict, *, masked: bool = False) -> str:
    """The message as the resident reads it: signature and template with its parameters; ``masked`` hides the
    secret ones (a code) for a log."""
    spec = TEMPLATES[template]
    if masked:
        params = {**params, **{name: "******" for name in spec.secret}}
    return f"【{sign_name()}】" + spec.text.format(**params)


def sms_scrubbed(template: str, params: dict) -> dict:
    """What an outbox row keeps of a message once it is sent or given up: the secret parameters (a code, a link
    with its token) replaced, so the table holds no usable code. Empty when the template has no secrets."""
    spec = TEMPLATES.get(template)
    if spec is None or not spec.secret:
        return {}
    masked = {**params, **{name: "******" for name in spec.secret if name in params}}
    return {"params": masked, "body": sms_render(template, masked)}


def sms_param_cut(value: str) -> bool:
    """Whether ``value`` is too long for a (capped) variable, so the resident would get it cut."""
    return _cap(str(value), PARAM_MAX_LENGTH) != " ".join(str(value).split())


def _cap(value: str, limit: int | None) -> str:
    value = " ".join(value.split())  # no line breaks inside a variable
    if limit is None or len(value) <= limit:
        return value
    return value[: limit - 1] + "…"
