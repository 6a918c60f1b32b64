"""The user's own API tokens in the console (/me/tokens/): issue one and see it once, see the list, revoke."""

import re

from django.test import Client

from propdesk.staff.models import ApiToken

PAGE = "/me/tokens/"
RESIDENTS = "/api/customers/residents"


def raw_token_on(html: str) -> str | None:
    found = re.search(r'value="(pd_[^"]+)" id="token-raw"', html)
    return found.group(1) if found else None


def test_issue_a_token_on_the_page_and_see_it_only_once(world, login):
    client = login(world.users["agent_a"])
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "我的 API 令牌" in html and 'href="/me/tokens/"' in html  # in the user's menu, in Chinese
    response = client.post(PAGE, {"name": "呼叫中心集成", "scope": "read", "days": "30"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = raw_token_on(response.content.decode())
    assert raw and raw.startswith("pd_")
    token = ApiToken.objects.get(user=world.users["agent_a"])
    assert token.scope == "read" and (token.expires_at - token.created_at).days == 30
    reader = Client(headers={"Authorization": f"Bearer {raw}"})
    assert reader.get(RESIDENTS).status_code == 200
    again = client.get(PAGE).content.decode()
    assert raw not in again and raw_token_on(again) is None
    row = again[again.index(f'id="token-{token.pk}"'):]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")], re.S)]
    name, prefix, scope, created, expires, last_used, state = cells[:7]
    assert (name, prefix, scope, state) == ("呼叫中心集成", f"{token.prefix}…", "只读", "有效")
    assert (created, expires) == ("2026-11-23 10:00", "2026-12-23 10:00")
    assert last_used == "2026-11-23 10:00"  # the reader used it just now


def test_the_form_refuses_a_lifetime_not_offered(world, login):
    client = login(world.users["agent_a"])
    response = client.post(PAGE, {"name": "脚本", "scope": "read_write", "days": "3650"})
    assert response.status_code == 200 and 'id="row-days"' in response.content.decode()
    assert 'class="form-row field-error" id="row-days"' in response.content.decode()
    assert not ApiToken.objects.exists()


def test_revoke_on_the_page_and_another_users_token_is_404(world, login):
    theirs, their_raw = ApiToken.issue(user=world.users["agent_b"], name="李娜的脚本")
    mine, raw = ApiToken.issue(user=world.users["agent_a"], name="呼叫中心集成")
    client = login(world.users["agent_a"])
    page = client.get(PAGE).content.decode()
    assert "呼叫中心集成" in page and "李娜的脚本" not in page
    assert client.post(f"/me/tokens/{theirs.pk}/revoke/").status_code == 404
    assert Client(headers={"Authorization": f"Bearer {their_raw}"}).get(RESIDENTS).status_code == 200
    response = client.post(f"/me/tokens/{mine.pk}/revoke/", follow=True)
    assert response.status_code == 200 and "已吊销" in response.content.decode()
    assert Client(headers={"Authorization": f"Bearer {raw}"}).get(RESIDENTS).status_code == 401
    assert client.get(f"/me/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post("/me/tokens/99999999999999999999/revoke/").status_code == 404


def test_signed_out_goes_to_the_sign_in_page(world, client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/login/")
