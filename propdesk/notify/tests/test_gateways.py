"""SMS in China go through approved templates: a request recorded on the intake page queues the "recorded" template
with its parameters, and the Aliyun / Tencent Cloud adapters send the provider's template id, the signature and
the parameters, signed as the providers document. The signatures are checked against the providers' published
examples; the requests against a local stand-in for the gateway that checks the signature on its own."""

import base64
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl

import pytest
from django.urls import reverse

from propdesk.notify.gateways import (
    AliyunSms,
    SmsGatewayError,
    TencentSms,
    aliyun_signature,
    tencent_authorization,
)
from propdesk.notify.models import OutboxMessage, OutboxStatus
from propdesk.notify.services import outbox_add, outbox_deliver
from propdesk.notify.sms import TEMPLATES, sms_params, sms_render
from propdesk.servicedesk.models import WorkOrder

TEMPLATE_IDS = {"request_recorded": "SMS_480125001", "completion_code": "2150721"}


# -- the providers' published examples ------------------------------------------------------------------------------

def test_aliyun_signature_matches_the_published_examples():
    # Aliyun's RPC signature document (ECS DescribeRegions, secret "testsecret")
    assert aliyun_signature({
        "AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf", "SignatureVersion": "1.0",
        "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26"}, "testsecret", "GET") == \
        "OLeaidS1JvxuMvnyHOwuJ+uX5qY="
    # the SMS document's SendSms example, with a Chinese signature name
    assert aliyun_signature({
        "AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007", "TemplateParam": '{"customer":"test"}', "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25"}, "testSecret", "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_tencent_signature_matches_the_published_example():
    # Tencent Cloud API 3.0 "Signature v3" document (CVM DescribeInstances)
    payload = b'{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}'
    assert tencent_authorization(
        secret_id="AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", secret_key="Gu5t9xGARNpq86cd98joQYCN3EXAMPLE",
        service="cvm", host="cvm.tencentcloudapi.com", payload=payload, timestamp=1551113065) == (
        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, "
        "SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168")


# -- the template register ------------------------------------------------------------------------------------------

def test_every_template_renders_with_the_signature_and_caps_long_values():
    for code, template in TEMPLATES.items():
        params = sms_params(code, {name: "值" for name in template.variables})
        assert sms_render(code, params).startswith("【PropDesk物业】"), code
    long = sms_params("request_reply", {"number": "BX1", "text": "停水通知：" + "因市政管网抢修，" * 10})
    assert len(long["text"]) == 35 and long["text"].endswith("…")
    link = "https://kf.example.com/visits/rate/" + "x" * 60 + "/"
    assert sms_params("rating_link", {"number": "BX1", "url": link})["url"] == link  # a link is never cut
    with pytest.raises(ValueError):
        sms_params("request_recorded", {"number": "BX1", "code": "123456"})  # not a variable of this template
    code = {"number": "BX1-1", "code": "246810"}
    assert "246810" in sms_render("completion_code", code)
    assert sms_render("completion_code", code, masked=True) == \
        "【PropDesk物业】工单BX1-1的完工确认码为******，请在维修完成后再告诉维修人员。"  # for a log


def test_an_sms_without_a_template_is_refused(db):
    with pytest.raises(ValueError):
        outbox_add(channel="sms", to="13812345678", body="您好，您的报修已受理", key="free-text")
    assert not OutboxMessage.objects.exists()


# -- a local stand-in for the gateways ------------------------------------------------------------------------------

def _independent_aliyun_signature(params: dict, secret: str) -> str:
    """The documented rule written out again, byte by byte: only A-Z a-z 0-9 - _ . ~ stay literal."""
    safe = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~"

    def enc(text):
        return "".join(chr(b) if b in safe else f"%{b:02X}" for b in text.encode())

    canonical = "&".join(f"{enc(k)}={enc(v)}" for k, v in sorted(params.items()))
    digest = hmac.new(f"{secret}&".encode(), f"POST&{enc('/')}&{enc(canonical)}".encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class Gateway:
    """Answers like the provider; records each request (headers, body)."""

    def __init__(self, answer: dict):
        self.answer, self.requests = answer, []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                gateway.requests.append((self.headers, body))  # header names: any case
                reply = json.dumps(gateway.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

            def log_message(self, *args):
                pass

        self.server = _bind(Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _bind(handler) -> HTTPServer:
    for port in range(8160, 8170):  # this project's test ports
        try:
            return HTTPServer(("127.0.0.1", port), handler)
        except OSError:
            continue
    raise OSError("no free port in 8160-8169")


@pytest.fixture
def gateway():
    started = []

    def start(answer):
        started.append(Gateway(answer))
        return started[-1]

    yield start
    for server in started:
        server.close()


def configure(settings, channel: str, provider: str, endpoint: str, **account):
    settings.PROPDESK_CHANNELS = {"sms": f"propdesk.notify.gateways.{channel}"}
    settings.PROPDESK_SMS = {"sign_name": "幸福里物业", "template_ids": TEMPLATE_IDS,
                             provider: {"endpoint": endpoint, **account}}


def record_request(world, login):
    owner = world.residents["a_owner"]
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:intake"), {"resident": owner.pk})
    response = agent.post(reverse("servicedesk:intake"), {
        "form_token": page.context["form"].initial["form_token"], "reporter_id": owner.pk, "kind": "repair",
        "channel": "phone", "contact_name": owner.name, "contact_phone": "138****5678", "room_code": "3-2-1802",
        "description": "厨房水龙头漏水，滴个不停", "emotion": "calm", "resident_request": "今天下午来修",
        "dispatch": f"user:{world.users['technician_a'].pk}"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return OutboxMessage.objects.get(channel="sms", template="request_recorded")


def test_a_recorded_request_goes_to_aliyun_as_its_approved_template(world, login, settings, gateway):
    aliyun = gateway({"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "F655A8D5"})
    configure(settings, "AliyunSms", "aliyun", aliyun.url, access_key_id="LTAI5tExample", access_key_secret="s3cr3t")
    message = record_request(world, login)
    number = message.params["number"]
    assert message.body == f"【幸福里物业】您的报事{number}已受理，我们会尽快处理。"  # the text, for the log

    assert outbox_deliver(now=message.available_at) == 1
    [(headers, body)] = aliyun.requests
    sent = dict(parse_qsl(body.decode()))
    signature = sent.pop("Signature")
    assert signature == _independent_aliyun_signature(sent, "s3cr3t")
    assert (sent["Action"], sent["PhoneNumbers"], sent["SignName"], sent["TemplateCode"]) == (
        "SendSms", "13812345678", "幸福里物业", "SMS_480125001")
    assert json.loads(sent["TemplateParam"]) == {"number": number} and sent["OutId"] == message.dedupe_key
    assert sent["AccessKeyId"] == "LTAI5tExample" and "s3cr3t" not in body.decode()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_refusal_by_the_gateway_is_retried_later(world, login, settings, gateway):
    aliyun = gateway({"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发小时级流控Permits:5"})
    configure(settings, "AliyunSms", "aliyun", aliyun.url, access_key_id="LTAI5tExample", access_key_secret="s3cr3t")
    message = record_request(world, login)
    assert outbox_deliver(now=message.available_at) == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and message.attempts == 1
    assert "isv.BUSINESS_LIMIT_CONTROL" in message.last_error and message.available_at > message.created_at
    assert len(aliyun.requests) == 1


def test_the_completion_code_goes_to_tencent_with_its_variables_in_order(world, login, settings, gateway):
    tencent = gateway({"Response": {"SendStatusSet": [{"SerialNo": "5000:1045710669157053657849499619", "Code": "Ok",
                                                       "Message": "send success", "PhoneNumber": "+8613812345678"}],
                                    "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}})
    configure(settings, "TencentSms", "tencent", tencent.url, secret_id="AKIDexample", secret_key="k3y",
              sdk_app_id="1400006666")
    record_request(world, login)
    order = WorkOrder.objects.get()
    technician = login(world.users["technician_a"])
    technician.post(reverse("servicedesk:workorder_action", args=[order.pk, "accept"]))
    technician.post(reverse("servicedesk:send_code", args=[order.pk]))
    message = OutboxMessage.objects.get(template="completion_code")
    code = message.params["code"]

    assert outbox_deliver(now=message.available_at) >= 1  # "on the way" has no template id here: it waits
    [(headers, body)] = [request for request in tencent.requests if b"2150721" in request[1]]
    assert headers["X-TC-Action"] == "SendSms" and headers["X-TC-Version"] == "2021-01-11"
    assert headers["Authorization"] == tencent_authorization(
        secret_id="AKIDexample", secret_key="k3y", service="sms", host=headers["Host"], payload=body,
        timestamp=int(headers["X-TC-Timestamp"]))
    sent = json.loads(body)
    assert sent["PhoneNumberSet"] == ["+8613812345678"] and sent["SmsSdkAppId"] == "1400006666"
    assert sent["TemplateParamSet"] == [order.number, code]  # {1} the order, {2} the code, as in our wording
    assert (sent["SignName"], sent["SessionContext"]) == ("幸福里物业", message.dedupe_key)


def test_a_template_without_a_provider_id_is_not_sent():
    channel = TencentSms({"template_ids": {}, "tencent": {"endpoint": "http://127.0.0.1:9/"}})
    with pytest.raises(SmsGatewayError, match="rating_link"):
        channel.send(to="13812345678", subject="", body="", key="k", template="rating_link",
                     params={"number": "BX1", "url": "https://kf.example.com/r/1/"})
    with pytest.raises(SmsGatewayError, match="template"):
        AliyunSms({}).send(to="13812345678", subject="", body="free text", key="k")


def test_a_half_configured_gateway_stops_the_start(settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from propdesk.notify.checks import sms_gateway_configured

    assert sms_gateway_configured() == []  # the default: the log channel
    settings.PROPDESK_CHANNELS = {"sms": "propdesk.notify.gateways.TencentSms"}
    settings.PROPDESK_SMS = {"template_ids": {"request_recorded": "2150001"}, "tencent": {"secret_id": "AKIDexample"}}
    assert [error.id for error in sms_gateway_configured()] == ["notify.E002", "notify.E003"]
    assert "secret_key, sdk_app_id" in sms_gateway_configured()[0].msg
    with pytest.raises(SystemCheckError, match="rating_link"):
        call_command("check")
    settings.PROPDESK_SMS = {"template_ids": dict.fromkeys(TEMPLATES, "2150001"),
                             "tencent": {"secret_id": "AKIDexample", "secret_key": "k3y", "sdk_app_id": "1400006666"}}
    assert sms_gateway_configured() == []
    settings.PROPDESK_CHANNELS = {"sms": "propdesk.notify.gateways.HuaweiSms"}
    assert [error.id for error in sms_gateway_configured()] == ["notify.E001"]
