"""Paid repairs 报修有偿 from the outside: price list, quote, the resident's agreement before work starts, payment with
a receipt number from the project's sequence, the printable receipt, voiding that keeps the number."""

import re
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone, translation

from propdesk.core.errors import ApplicationError
from propdesk.core.testing import TEST_NOW
from propdesk.notify.models import OutboxMessage
from propdesk.org.choices import DepartmentKind
from propdesk.org.models import Department
from propdesk.servicedesk.models import Payment, PriceItem, Quote, TimelineEvent
from propdesk.servicedesk.rules.money import amount_in_words
from propdesk.servicedesk.services.payments import (
    QuoteLineInput,
    payment_record,
    quote_agree,
    quote_create,
    quote_send_code,
)
from propdesk.servicedesk.services.prices import price_list_add_defaults
from propdesk.servicedesk.services.requests import RequestInput, request_submit
from propdesk.servicedesk.services.workorders import workorder_act, workorder_create

SIGNATURE = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9"
             "awAAAABJRU5ErkJggg==")
YEAR = TEST_NOW.year  # receipts are numbered by the year they are issued in: the pinned test day's


def order(world, *, project=None, description="卫生间水龙头关不紧，一直滴水", accept=True):
    """A repair for 3-2-1802 dispatched to 刘师傅 (accepted), with the project's usual price list published."""
    project = project or world.project_a
    agent = world.users["agent_a"]
    owner = world.residents["a_owner"]
    sr = request_submit(actor=agent, project=project, data=RequestInput(
        channel="phone", kind="repair", description=description, reporter_id=owner.pk,
        room_id=world.room(project, "3-2-1802").pk))
    engineering = Department.objects.get(project=project, kind=DepartmentKind.ENGINEERING)
    wo = workorder_create(request=sr, department=engineering, actor=agent)
    workorder_act(work_order=wo, actor=agent, action="dispatch", assignee_id=world.users["technician_a"].pk)
    if accept:
        workorder_act(work_order=wo, actor=world.users["technician_a"], action="accept")
    if not PriceItem.objects.filter(project=project).exists():
        price_list_add_defaults(project=project, actor=world.users["admin"])
    wo.refresh_from_db()
    return wo


def rc(world, sequence: int, project=None) -> str:
    """The receipt number the project's ``sequence``-th payment of this year gets."""
    return f"{(project or world.project_a).number_prefix}-RC{YEAR}{sequence:06d}"


def item(project, name):
    return PriceItem.objects.get(project=project, name=name)


def post_quote(client, wo, **quantities):
    """quantities: price-list item name → quantity, as the technician types them on the quote page."""
    data = {f"qty_{item(wo.project, name).pk}": qty for name, qty in quantities.items()}
    return client.post(reverse("servicedesk:quote", args=[wo.pk]), data)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def expected(text, **params) -> str:
    """The message as the page shows it (the default language; English until translated)."""
    with translation.override("zh-hans"):
        return translation.gettext(text) % params


# The amount in capitals ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("amount", "words"), [
    ("120", "壹佰贰拾元整"), ("120.00", "壹佰贰拾元整"), ("30", "叁拾元整"), ("10", "壹拾元整"),
    ("1005.30", "壹仟零伍元叁角"), ("1010", "壹仟零壹拾元整"), ("10.05", "壹拾元零伍分"), ("0.50", "伍角"),
    ("100010", "壹拾万零壹拾元整"), ("101000", "壹拾万壹仟元整"), ("1680.32", "壹仟陆佰捌拾元叁角贰分"),
    ("200000001", "贰亿零壹元整"),
])
def test_amount_in_chinese_capitals(amount, words):
    assert amount_in_words(Decimal(amount)) == words


# Price list ------------------------------------------------------------------------------------------------------

def test_project_manager_publishes_the_price_list(world, login):
    client = login(world.users["pm_a"])
    url = reverse("servicedesk:price_list")
    page = client.get(url).content.decode()
    assert "更换水龙头阀芯" in page and 'id="price-defaults"' in page  # the usual items are offered
    client.post(url, {"project": world.project_a.pk, "defaults": "1"})
    valve = item(world.project_a, "更换水龙头阀芯")
    assert valve.price == Decimal("30.00") and valve.unit == "个"
    client.post(url, {"project": world.project_a.pk, "item_id": valve.pk, "name": "更换水龙头阀芯", "unit": "个",
                      "price": "35", "active": "on"})
    client.post(url, {"project": world.project_a.pk, "name": "更换地漏", "unit": "个", "price": "45.50",
                      "active": "on"})
    valve.refresh_from_db()
    assert valve.price == Decimal("35.00")
    assert item(world.project_a, "更换地漏").price == Decimal("45.50")
    response = client.post(url, {"project": world.project_a.pk, "name": "更换地漏", "unit": "个", "price": "-3"},
                           follow=True)
    assert PriceItem.objects.filter(project=world.project_a, name="更换地漏").count() == 1
    assert messages_of(response)
    assert not PriceItem.objects.filter(project=world.project_b).exists()


def test_agents_and_technicians_cannot_change_prices(world, login):
    price_list_add_defaults(project=world.project_a, actor=world.users["admin"])
    valve = item(world.project_a, "更换水龙头阀芯")
    url = reverse("servicedesk:price_list")
    assert login(world.users["technician_a"]).get(url).status_code == 403
    response = login(world.users["agent_a"]).post(url, {"project": world.project_a.pk, "item_id": valve.pk,
                                                         "name": "更换水龙头阀芯", "unit": "个", "price": "1"})
    assert response.status_code == 403
    valve.refresh_from_db()
    assert valve.price == Decimal("30.00")


def test_an_agent_reads_the_price_list_to_quote_on_the_phone(world, login):
    price_list_add_defaults(project=world.project_a, actor=world.users["admin"])
    price_list_add_defaults(project=world.project_b, actor=world.users["admin"])
    PriceItem.objects.filter(project=world.project_a, name="更换水龙头阀芯").update(price=Decimal("35.00"))
    PriceItem.objects.filter(project=world.project_a, name="更换地漏").update(active=False)
    client = login(world.users["agent_a"])
    response = client.get(reverse("servicedesk:price_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "更换水龙头阀芯" in page and "¥35.00" in page  # their project's current price
    assert "更换地漏" not in page  # withdrawn items are not quoted
    assert 'name="price"' not in page and 'id="price-defaults"' not in page  # nothing to edit
    table = re.search(r'<table id="price-items".*?</table>', page, re.S).group(0)
    assert table
    assert client.get(reverse("servicedesk:price_list"), {"project": world.project_b.pk}).status_code == 404
    nav = re.search(r'<nav class="mainnav">(.*?)</nav>', page, re.S).group(1)
    assert reverse("servicedesk:price_list") in nav


def test_a_price_item_posted_with_another_projects_id_is_404_and_saved_nowhere(world, login):
    """pm_a keeps 翠湖花园's list (project A) only. A form posted with 金桂苑's id (project B) was saved into A."""
    price_list_add_defaults(project=world.project_b, actor=world.users["admin"])
    theirs = item(world.project_b, "更换水龙头阀芯")
    client = login(world.users["pm_a"])
    url = reverse("servicedesk:price_list")
    before = sorted(PriceItem.objects.values_list("project_id", "name", "price"))
    for post in ({"project": world.project_b.pk, "name": "更换地漏", "unit": "个", "price": "45.50", "active": "on"},
                 {"project": world.project_b.pk, "item_id": theirs.pk, "name": "更换水龙头阀芯", "unit": "个",
                  "price": "1", "active": "on"},
                 {"project": world.project_b.pk, "defaults": "1"},
                 {"project": world.project_c.pk, "name": "更换地漏", "unit": "个", "price": "45.50"},
                 {"project": "99999999999999999999", "name": "更换地漏", "unit": "个", "price": "45.50"}):
        assert client.post(url, post).status_code == 404, post
    assert sorted(PriceItem.objects.values_list("project_id", "name", "price")) == before
    assert not PriceItem.objects.filter(project=world.project_a).exists()
    # Its own project, named or not (a PM of one project has one to choose), still works.
    assert client.post(url, {"project": world.project_a.pk, "name": "更换地漏", "unit": "个", "price": "45.50",
                             "active": "on"}).status_code == 302
    assert client.post(url, {"name": "安装晾衣架", "unit": "套", "price": "80", "active": "on"}).status_code == 302
    assert set(PriceItem.objects.filter(project=world.project_a).values_list("name", flat=True)) == {
        "更换地漏", "安装晾衣架"}


# Quote → agreement → work → payment → receipt --------------------------------------------------------------------

def test_quote_agree_work_pay_and_consecutive_receipt_numbers(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    post_quote(tech, wo, 更换水龙头阀芯=2, 上门检测费=1)
    quote = Quote.objects.get(work_order=wo)
    assert quote.total == Decimal("80.00") and quote.pending
    page = tech.get(reverse("servicedesk:quote", args=[wo.pk])).content.decode()
    assert "捌拾元整" in page and 'id="agreement"' in page
    tech.post(reverse("servicedesk:quote_agree", args=[wo.pk]), {"method": "signature", "signature": SIGNATURE})
    quote.refresh_from_db()
    assert quote.agreed_at is not None and quote.agreement_method == "signature" and quote.signature == SIGNATURE

    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "arrive"]))
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]),
              {"result": "更换两个阀芯，试水不再滴漏", "signature": SIGNATURE})
    wo.refresh_from_db()
    assert wo.status == "completed"
    response = tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "80.00", "method": "wechat"})
    payment = Payment.objects.get(work_order=wo)
    assert response.url == reverse("servicedesk:receipt", args=[payment.pk])
    assert payment.receipt_number == rc(world, 1)
    assert payment.amount == Decimal("80.00") and payment.cashier == world.users["technician_a"]
    assert [line["name"] for line in payment.items] == ["更换水龙头阀芯", "上门检测费"]
    assert OutboxMessage.objects.filter(to="13812345678", body__contains=payment.receipt_number).count() == 1

    second = order(world, description="厨房灯管不亮")
    post_quote(tech, second, **{"更换灯泡/灯管": 1})
    tech.post(reverse("servicedesk:quote_agree", args=[second.pk]), {"method": "in_person"})
    tech.post(reverse("servicedesk:payment_add", args=[second.pk]), {"amount": "10", "method": "cash"})
    assert Payment.objects.get(work_order=second).receipt_number == rc(world, 2)

    actions = list(TimelineEvent.objects.filter(request=wo.request, kind="payment").values_list("action", flat=True))
    assert actions == ["quote", "quote_agree", "payment"]


def test_arrive_before_the_agreement_is_refused_and_changes_nothing(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    post_quote(tech, wo, 疏通马桶=1)
    events = TimelineEvent.objects.count()
    response = tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "arrive"]), follow=True)
    wo.refresh_from_db()
    assert wo.status == "accepted" and wo.arrived_at is None
    assert TimelineEvent.objects.count() == events
    assert expected("Work order %(number)s is a paid repair: the resident must agree to the quote of %(total)s "
                    "before work starts.", number=wo.number, total="¥80.00") in messages_of(response)
    # Completing straight from accepted is refused the same way.
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "complete"]),
              {"result": "疏通完毕", "signature": SIGNATURE})
    wo.refresh_from_db()
    assert wo.status == "accepted"
    # Once the resident agrees, the same button works.
    tech.post(reverse("servicedesk:quote_agree", args=[wo.pk]), {"method": "signature", "signature": SIGNATURE})
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "arrive"]))
    wo.refresh_from_db()
    assert wo.status == "on_site"


def test_a_quote_made_on_site_blocks_completion_until_agreed(world):
    wo = order(world)
    tech = world.users["technician_a"]
    workorder_act(work_order=wo, actor=tech, action="arrive")
    quote_create(work_order=wo, lines=[QuoteLineInput(item(wo.project, "更换角阀").pk, 1)], actor=tech)
    with pytest.raises(ApplicationError) as refused:
        workorder_act(work_order=wo, actor=tech, action="complete", result="换角阀", signature=SIGNATURE)
    assert refused.value.extra["code"] == "quote_not_agreed"
    wo.refresh_from_db()
    assert wo.status == "on_site" and wo.completed_at is None


def test_an_order_without_a_quote_is_free_and_not_held_up(world):
    wo = order(world)
    workorder_act(work_order=wo, actor=world.users["technician_a"], action="arrive")
    wo.refresh_from_db()
    assert wo.status == "on_site"


def test_agreement_by_the_code_texted_to_the_resident(world):
    wo = order(world)
    tech = world.users["technician_a"]
    quote_create(work_order=wo, lines=[QuoteLineInput(item(wo.project, "疏通下水道（户内）").pk, 1)], actor=tech)
    quote_send_code(work_order=wo, actor=tech)
    sms = OutboxMessage.objects.filter(to="13812345678", dedupe_key__startswith="quote-code:").get()
    code = sms.params["code"]  # the approved template's parameter; the text shows it too
    assert sms.template == "quote_code" and code in sms.body and "¥80.00" in sms.body
    with pytest.raises(ApplicationError):
        quote_agree(work_order=wo, actor=tech, method="code", code="000000" if code != "000000" else "111111")
    assert Quote.objects.get(work_order=wo).agreed_at is None
    quote_agree(work_order=wo, actor=tech, method="code", code=code)
    assert Quote.objects.get(work_order=wo).agreement_method == "code"


def test_the_amount_must_be_the_agreed_total_and_a_refusal_takes_no_number(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    post_quote(tech, wo, 更换门锁锁芯=1, 更换门合页=2)  # 80 + 2 × 15
    tech.post(reverse("servicedesk:quote_agree", args=[wo.pk]), {"method": "in_person"})
    response = tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "100", "method": "cash"},
                         follow=True)
    assert not Payment.objects.exists()
    assert any(expected("The amount must be the agreed total, %(total)s.", total="¥110.00") in m
               for m in messages_of(response))
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "110.00", "method": "alipay"})
    assert Payment.objects.get().receipt_number == rc(world, 1)  # the refused attempt used no number
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "110.00", "method": "alipay"})
    assert Payment.objects.count() == 1  # paid once


def test_nothing_is_charged_without_an_agreed_quote(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "0", "method": "cash"})
    post_quote(tech, wo, 更换软管=1)
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "20", "method": "cash"})
    assert not Payment.objects.exists()


def test_quote_only_from_this_projects_current_price_list(world):
    wo = order(world)
    other = PriceItem.objects.create(project=world.project_b, name="更换水龙头阀芯", unit="个", price=Decimal("1"))
    retired = item(wo.project, "安装晾衣架")
    retired.active = False
    retired.save()
    for line in (QuoteLineInput(other.pk, 1), QuoteLineInput(retired.pk, 1), QuoteLineInput(999999, 1)):
        with pytest.raises(ApplicationError):
            quote_create(work_order=wo, lines=[line], actor=world.users["technician_a"])
    assert not Quote.objects.exists()


def test_only_the_assignee_or_a_dispatcher_quotes(world):
    wo = order(world)
    line = [QuoteLineInput(item(wo.project, "更换角阀").pk, 1)]
    with pytest.raises(ApplicationError) as refused:
        quote_create(work_order=wo, lines=line, actor=world.users["steward_a"])
    assert refused.value.status_code == 403
    quote_create(work_order=wo, lines=line, actor=world.users["agent_a"])  # a dispatcher may
    assert Quote.objects.get().total == Decimal("35.00")


def test_no_quote_after_completion(world):
    wo = order(world)
    tech = world.users["technician_a"]
    workorder_act(work_order=wo, actor=tech, action="complete", result="已修好", signature=SIGNATURE)
    with pytest.raises(ApplicationError):
        quote_create(work_order=wo, lines=[QuoteLineInput(item(wo.project, "更换角阀").pk, 1)], actor=tech)


def test_voided_receipt_keeps_its_number_and_the_next_payment_gets_the_next(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    post_quote(tech, wo, 更换空气开关=3)  # 3 × 40
    tech.post(reverse("servicedesk:quote_agree", args=[wo.pk]), {"method": "in_person"})
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "120", "method": "cash"})
    first = Payment.objects.get()
    assert first.receipt_number == rc(world, 1)

    assert tech.post(reverse("servicedesk:receipt_void", args=[first.pk]), {"reason": "x"}).status_code == 403
    pm = login(world.users["pm_a"])
    pm.post(reverse("servicedesk:receipt_void", args=[first.pk]), {"reason": "收款方式记错，应为微信"})
    first.refresh_from_db()
    assert first.is_void and first.voided_by == world.users["pm_a"] and first.receipt_number == rc(world, 1)
    page = pm.get(reverse("servicedesk:receipt", args=[first.pk])).content.decode()
    assert 'id="void-stamp"' in page and rc(world, 1) in page and "收款方式记错" in page

    tech = login(world.users["technician_a"])
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "120", "method": "wechat"})
    second = Payment.objects.exclude(pk=first.pk).get()
    assert second.receipt_number == rc(world, 2) and not second.is_void
    assert Payment.objects.count() == 2
    assert 'id="void-stamp"' not in tech.get(reverse("servicedesk:receipt", args=[second.pk])).content.decode()
    actions = list(TimelineEvent.objects.filter(request=wo.request, kind="payment").values_list("action", flat=True))
    assert actions == ["quote", "quote_agree", "payment", "payment_void", "payment"]


def test_printable_receipt_shows_everything_and_the_amount_in_capitals(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    post_quote(tech, wo, 更换空气开关=3)
    tech.post(reverse("servicedesk:quote_agree", args=[wo.pk]), {"method": "in_person"})
    tech.post(reverse("servicedesk:payment_add", args=[wo.pk]), {"amount": "120.00", "method": "cash"})
    payment = Payment.objects.get()
    page = tech.get(reverse("servicedesk:receipt", args=[payment.pk])).content.decode()
    for text in ("壹佰贰拾元整", "¥120.00", "万家物业服务有限公司", "翠湖花园", rc(world, 1), "周美玲", "3-2-1802",
                 "更换空气开关", "刘师傅", "@media print", timezone.localtime(payment.paid_at).strftime("%Y-%m-%d")):
        assert text in page, text
    # The resident sees their own receipt; another project's staff does not.
    resident = login(world.users["resident_a"])
    assert resident.get(reverse("servicedesk:receipt", args=[payment.pk])).status_code == 200
    other = login(world.users["agent_b"])
    assert other.get(reverse("servicedesk:receipt", args=[payment.pk])).status_code == 404


def test_payment_for_another_projects_order_is_404(world, login):
    wo = order(world)
    quote_create(work_order=wo, lines=[QuoteLineInput(item(wo.project, "更换角阀").pk, 1)],
                 actor=world.users["technician_a"])
    quote_agree(work_order=wo, actor=world.users["technician_a"], method="in_person")
    other = login(world.users["agent_b"])
    for name in ("payment_add", "quote", "quote_agree", "quote_decline"):
        assert other.post(reverse(f"servicedesk:{name}", args=[wo.pk]),
                          {"amount": "35", "method": "cash"}).status_code == 404, name
    assert not Payment.objects.exists()


def test_declined_quote_holds_the_work_until_quoted_again(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    post_quote(tech, wo, 安装晾衣架=1)
    tech.post(reverse("servicedesk:quote_decline", args=[wo.pk]), {"reason": "太贵，自己买了装"})
    assert Quote.objects.get().declined_at is not None
    tech.post(reverse("servicedesk:workorder_action", args=[wo.pk, "arrive"]))
    wo.refresh_from_db()
    assert wo.status == "accepted"
    post_quote(tech, wo, 安装窗帘杆=1)  # a new quote replaces it and needs agreement again
    quote = Quote.objects.get()
    assert quote.pending and quote.total == Decimal("40.00") and quote.revision == 2


def test_pages_show_the_paid_repair(world, login):
    wo = order(world)
    tech = login(world.users["technician_a"])
    page = tech.get(reverse("servicedesk:workorder_detail", args=[wo.pk])).content.decode()
    assert 'id="quote-new"' in page
    post_quote(tech, wo, 更换角阀=1)
    page = tech.get(reverse("servicedesk:workorder_detail", args=[wo.pk])).content.decode()
    assert 'id="quote-link"' in page and "¥35.00" in page and 'id="pay-form"' not in page
    agent = login(world.users["agent_a"])
    page = agent.get(reverse("servicedesk:request_detail", args=[wo.request_id])).content.decode()
    assert 'id="paid-work"' in page and wo.number in page


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_payments_get_distinct_consecutive_receipt_numbers(world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test "
                    "(run with DATABASE_URL=postgres://…)")
    tech = world.users["technician_a"]
    orders = [order(world, description=f"第{i}户水龙头滴水") for i in range(2)]
    for wo in orders:
        quote_create(work_order=wo, lines=[QuoteLineInput(item(wo.project, "更换水龙头阀芯").pk, 1)], actor=tech)
        quote_agree(work_order=wo, actor=tech, method="in_person")
    barrier = threading.Barrier(len(orders))
    errors = []

    def pay(wo):
        try:
            barrier.wait()
            payment_record(work_order=wo, amount="30", method="cash", actor=tech)
        except Exception as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(wo,)) for wo in orders]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    numbers = sorted(Payment.objects.values_list("receipt_number", flat=True))
    assert numbers == [rc(world, 1), rc(world, 2)]


def test_api_gives_the_price_list_to_agents_of_the_project(world, login):
    price_list_add_defaults(project=world.project_a, actor=world.users["admin"])
    price_list_add_defaults(project=world.project_b, actor=world.users["admin"])
    PriceItem.objects.filter(project=world.project_a, name="疏通马桶").update(active=False)
    agent = login(world.users["agent_a"])
    items = agent.get("/api/desk/prices").json()
    assert {item["project_id"] for item in items} == {world.project_a.pk}  # their project only
    assert {"name": "更换水龙头阀芯", "unit": "个", "price": "30.00"}.items() <= next(
        item for item in items if item["name"] == "更换水龙头阀芯").items()
    assert "疏通马桶" not in {item["name"] for item in items}
    refused = agent.get("/api/desk/prices", {"project": world.project_b.pk})
    assert refused.status_code == 400 and refused.json()["extra"]["fields"]["project"]
    assert login(world.users["technician_a"]).get("/api/desk/prices").status_code == 403
