"""SMS gateways in mainland China, which send approved templates only (notify/sms.py): Aliyun (阿里云) and Tencent
Cloud (腾讯云). Optional, chosen by ``PROPDESK_CHANNELS='{"sms": "propdesk.notify.gateways.AliyunSms"}'`` (or
``TencentSms``) and configured by ``PROPDESK_SMS`` (config/settings.py: keys, signature, our template codes → the
provider's template ids). Standard library only: no provider SDK to install.

Neither provider deduplicates by our idempotency key; it travels as OutId / SessionContext so a delivery receipt can
be matched to its outbox row. A failure raises SmsGatewayError and the outbox retries with back-off."""

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings

from .channels import Channel
from .sms import TEMPLATES, sign_name


class SmsGatewayError(Exception):
    """The provider refused the message or could not be reached: the outbox retries it with back-off."""


class TemplateSms(Channel):
    name = "sms"
    takes_templates = True  # the outbox passes template and params (notify/sms.py)
    provider = ""
    required: tuple[str, ...] = ()  # keys of PROPDESK_SMS[provider] that must be set (system check notify.E002)
    timeout = 10  # seconds

    # A gateway answers in seconds or is treated as down; well inside the outbox lease (notify/services.py).
    def __init__(self, config: dict | None = None):
        self.config = config if config is not None else getattr(settings, "PROPDESK_SMS", {})
        self.account = self.config.get(self.provider, {})

    def template_id(self, template: str) -> str:
        if not template:
            raise SmsGatewayError("an SMS without an approved template cannot be sent through a gateway")
        template_id = self.config.get("template_ids", {}).get(template)
        if not template_id:
            raise SmsGatewayError(f"no {self.provider} template id for {template} in PROPDESK_SMS['template_ids']")
        return template_id

    def sign_name(self) -> str:
        return self.config.get("sign_name") or sign_name()

    def post(self, url: str, *, data: bytes, headers: dict) -> dict:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (configured URL)
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise SmsGatewayError(f"{self.provider} answered HTTP {exc.code}: {exc.read()[:300]!r}") from exc
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            raise SmsGatewayError(f"{self.provider} unreachable or garbled: {exc}") from exc


def aliyun_percent_encode(value: str) -> str:
    """Aliyun's POP encoding: RFC 3986, only A–Z a–z 0–9 - _ . ~ left as they are, UTF-8 for the rest."""
    return quote(str(value), safe="~")


def aliyun_signature(params: dict, secret: str, method: str = "POST") -> str:
    """Signature V1 of Aliyun's RPC APIs (dysmsapi SendSms): HMAC-SHA1 over the sorted, encoded parameters, keyed
    with the AccessKey secret followed by '&', base64."""
    canonical = "&".join(f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}" for k, v in sorted(params.items()))
    to_sign = f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSms(TemplateSms):
    """Aliyun (阿里云) SMS: dysmsapi ``SendSms``, version 2017-05-25, signed with HMAC-SHA1 (RPC signature V1).
    PROPDESK_SMS["aliyun"]: access_key_id, access_key_secret, endpoint (default https://dysmsapi.aliyuncs.com/)."""

    provider = "aliyun"
    required = ("access_key_id", "access_key_secret")

    def request_params(self, *, to: str, key: str, template: str, params: dict, nonce: str, timestamp: str) -> dict:
        return {
            "AccessKeyId": self.account.get("access_key_id", ""), "Action": "SendSms", "Format": "JSON",
            "OutId": key[:64], "PhoneNumbers": to, "RegionId": self.account.get("region", "cn-hangzhou"),
            "SignName": self.sign_name(), "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce,
            "SignatureVersion": "1.0", "TemplateCode": self.template_id(template),
            "TemplateParam": json.dumps(params or {}, ensure_ascii=False, separators=(",", ":")),
            "Timestamp": timestamp, "Version": "2017-05-25",
        }

    def send(self, *, to, subject, body, key, template="", params=None):
        query = self.request_params(to=to, key=key, template=template, params=params or {}, nonce=str(uuid.uuid4()),
                                    timestamp=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
        query["Signature"] = aliyun_signature(query, self.account.get("access_key_secret", ""), "POST")
        answer = self.post(self.account.get("endpoint") or "https://dysmsapi.aliyuncs.com/",
                           data=urlencode(query).encode(),
                           headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
        if answer.get("Code") != "OK":
            raise SmsGatewayError(f"aliyun {answer.get('Code')}: {answer.get('Message')}")


def tencent_authorization(*, secret_id: str, secret_key: str, service: str, host: str, payload: bytes,
                          timestamp: int, content_type: str = "application/json; charset=utf-8") -> str:
    """Tencent Cloud API 3.0 signature TC3-HMAC-SHA256 of a JSON POST (signed headers content-type and host)."""

    def sign(key: bytes, message: str) -> bytes:
        return hmac.new(key, message.encode(), hashlib.sha256).digest()

    date = datetime.fromtimestamp(timestamp, UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(["POST", "/", "", f"content-type:{content_type}\nhost:{host}\n", "content-type;host",
                           hashlib.sha256(payload).hexdigest()])
    scope = f"{date}/{service}/tc3_request"
    to_sign = "\n".join(["TC3-HMAC-SHA256", str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])
    signing_key = sign(sign(sign(f"TC3{secret_key}".encode(), date), service), "tc3_request")
    signature = hmac.new(signing_key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"TC3-HMAC-SHA256 Credential={secret_id}/{scope}, SignedHeaders=content-type;host, Signature={signature}"


class TencentSms(TemplateSms):
    """Tencent Cloud (腾讯云) SMS: ``SendSms``, version 2021-01-11, signed with TC3-HMAC-SHA256. The template's
    variables go as a list in the order they appear in our wording ({1}, {2} … in the provider's template).
    PROPDESK_SMS["tencent"]: secret_id, secret_key, sdk_app_id, region (default ap-guangzhou), endpoint (default
    https://sms.tencentcloudapi.com/)."""

    provider = "tencent"
    required = ("secret_id", "secret_key", "sdk_app_id")

    def payload(self, *, to: str, key: str, template: str, params: dict) -> bytes:
        variables = TEMPLATES[template].variables if template in TEMPLATES else sorted(params)
        return json.dumps({
            "PhoneNumberSet": [to if to.startswith("+") else f"+86{to}"],
            "SmsSdkAppId": self.account.get("sdk_app_id", ""), "SignName": self.sign_name(),
            "TemplateId": self.template_id(template), "TemplateParamSet": [str(params[v]) for v in variables],
            "SessionContext": key,
        }, ensure_ascii=False).encode()

    def send(self, *, to, subject, body, key, template="", params=None):
        endpoint = self.account.get("endpoint") or "https://sms.tencentcloudapi.com/"
        host, timestamp = urlsplit(endpoint).netloc, int(time.time())
        payload = self.payload(to=to, key=key, template=template, params=params or {})
        answer = self.post(endpoint, data=payload, headers={
            "Authorization": tencent_authorization(
                secret_id=self.account.get("secret_id", ""), secret_key=self.account.get("secret_key", ""),
                service="sms", host=host, payload=payload, timestamp=timestamp),
            "Content-Type": "application/json; charset=utf-8", "Host": host, "X-TC-Action": "SendSms",
            "X-TC-Timestamp": str(timestamp), "X-TC-Version": "2021-01-11",
            "X-TC-Region": self.account.get("region", "ap-guangzhou")}).get("Response", {})
        if "Error" in answer:
            raise SmsGatewayError(f"tencent {answer['Error'].get('Code')}: {answer['Error'].get('Message')}")
        statuses = answer.get("SendStatusSet") or [{}]
        if statuses[0].get("Code") != "Ok":
            raise SmsGatewayError(f"tencent {statuses[0].get('Code')}: {statuses[0].get('Message')}")
