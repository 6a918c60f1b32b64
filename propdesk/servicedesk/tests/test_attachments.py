"""Photos from the outside: they are stored under names the server picks, decoded and re-encoded, and served only
to someone who may see their request, as the image they are (issue 10, holes 2 and 5)."""

import io
import random
import re
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from propdesk.core.testing import make_user
from propdesk.servicedesk.models import Attachment, ServiceRequest
from propdesk.servicedesk.services.attachments import attachments_add
from propdesk.servicedesk.tests.test_api import bearer, recorded
from propdesk.servicedesk.tests.test_intake import INTAKE, form_data

EVIL_TAIL = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_bytes(size=(64, 48), color="teal") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def phone_jpeg(name="卫生间渗水.jpg", size=(640, 480), seed=7) -> SimpleUploadedFile:
    """A photo as a phone sends it: noise, EXIF with a GPS position."""
    rng = random.Random(seed)
    image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    exif = Image.Exif()
    exif[0x010F] = "Xiaomi"  # Make
    exif[0x8825] = {1: "N", 2: (31.0, 14.0, 5.0), 3: "E", 4: (121.0, 28.0, 7.0)}  # GPS: a home in Shanghai
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif)
    return SimpleUploadedFile(name, out.getvalue(), "image/jpeg")


def png_bomb(width=30000, height=30000) -> bytes:
    """A PNG of some hundred bytes that declares width×height pixels: the header says so, and one compressed
    row follows (a decoder that believed it would need 2.7 GB)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\0" + b"\0" * (width * 3), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def attach(world, upload, actor="agent_a") -> Attachment:
    sr = recorded(world, dispatch=False)
    [attachment] = attachments_add(request=sr, files=[upload], actor=world.users[actor])
    return attachment


def photo_url(attachment) -> str:
    return reverse("servicedesk:attachment", args=[attachment.pk])


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


# --- who sees a photo -------------------------------------------------------------------------------------------

def test_anonymous_is_sent_to_login_and_gets_no_bytes(world, client):
    attachment = attach(world, SimpleUploadedFile("水管.png", png_bytes(), "image/png"))
    response = client.get(photo_url(attachment))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    api = client.get(f"/api/desk/attachments/{attachment.pk}")
    assert api.status_code == 401
    assert b"PNG" not in response.content + api.content


def test_media_is_not_served_raw(world, client, login, settings):
    attachment = attach(world, SimpleUploadedFile("水管.png", png_bytes(), "image/png"))
    for user in (None, world.users["admin"]):
        if user:
            login(user)
        assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_staff_of_another_project_and_another_home_get_404(world, login, client):
    attachment = attach(world, SimpleUploadedFile("水管.png", png_bytes(), "image/png"))
    tenant_user = make_user("resident_tenant")  # 吴强, project A too, but another home: not his request
    world.residents["a_tenant"].user = tenant_user
    world.residents["a_tenant"].save(update_fields=["user"])
    for outsider in (world.users["agent_b"], tenant_user):
        login(outsider)
        response = client.get(photo_url(attachment))
        assert response.status_code == 404
        assert b"PNG" not in response.content
        client.logout()
    assert bearer(world.users["agent_b"]).get(f"/api/desk/attachments/{attachment.pk}").status_code == 404
    assert bearer(tenant_user).get(f"/api/desk/attachments/{attachment.pk}").status_code == 404


def test_the_owner_and_staff_in_scope_see_it_as_an_image(world, login, client):
    attachment = attach(world, SimpleUploadedFile("水管.png", png_bytes(), "image/png"))
    for user in (world.users["resident_a"], world.users["agent_a"], world.users["leader_east"]):
        login(user)
        response = client.get(photo_url(attachment))
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"] == f'inline; filename="photo-{attachment.pk}.png"'
        assert "private" in response["Cache-Control"]
        assert "sandbox" in response["Content-Security-Policy"]
        body = b"".join(response.streaming_content)
        assert Image.open(io.BytesIO(body)).size == (64, 48)
        client.logout()
    api = bearer(world.users["resident_a"]).get(f"/api/desk/attachments/{attachment.pk}")
    assert api.status_code == 200 and api["Content-Type"] == "image/png"


def test_a_photo_stored_before_keeps_working_under_its_old_name(world, login, media):
    attachment = attach(world, SimpleUploadedFile("水管.png", png_bytes(), "image/png"))
    old_name = f"requests/{world.project_a.pk}/{attachment.request_id}/IMG_2031.png"
    (media / old_name).parent.mkdir(parents=True)
    (media / old_name).write_bytes(png_bytes(color="red"))
    Attachment.objects.filter(pk=attachment.pk).update(file=old_name)
    response = login(world.users["agent_a"]).get(photo_url(attachment))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).getpixel((0, 0)) == (255, 0, 0)


# --- what is stored ---------------------------------------------------------------------------------------------

def test_html_behind_a_png_named_evil_html_is_stored_and_served_as_a_png(world, login, media):
    client = login(world.users["agent_a"])
    evil = SimpleUploadedFile("evil.html", png_bytes() + EVIL_TAIL, "text/html")
    response = client.post(reverse(INTAKE), form_data(client, world, photos=[evil]))
    assert response.status_code == 302, response.context["form"].errors
    attachment = ServiceRequest.objects.get().attachments.get()
    assert re.fullmatch(r"attachments/2026/11/[0-9a-f]{32}\.png", attachment.file.name)
    assert stored_files(media) == [attachment.file.name]
    assert attachment.content_type == "image/png" and attachment.original_name == "evil.html"
    stored = (media / attachment.file.name).read_bytes()
    assert b"<script>" not in stored and stored.endswith(b"IEND\xaeB`\x82")  # re-encoded: the tail is gone
    served = client.get(photo_url(attachment))
    assert served["Content-Type"] == "image/png" and served["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in b"".join(served.streaming_content)
    page = client.get(reverse("servicedesk:request_detail", args=[attachment.request_id])).content.decode()
    assert photo_url(attachment) in page and "/media/" not in page


def test_a_phone_jpeg_goes_in_and_out_without_its_gps(world, login, media):
    client = login(world.users["agent_a"])
    photo = phone_jpeg()
    assert b"Xiaomi" in photo.read()
    photo.seek(0)
    response = client.post(reverse(INTAKE), form_data(client, world, photos=[photo]))
    assert response.status_code == 302, response.context["form"].errors
    attachment = ServiceRequest.objects.get().attachments.get()
    assert re.fullmatch(r"attachments/2026/11/[0-9a-f]{32}\.jpg", attachment.file.name)
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "卫生间渗水.jpg"
    served = client.get(photo_url(attachment))
    body = b"".join(served.streaming_content)
    assert served["Content-Type"] == "image/jpeg" and attachment.size == len(body)
    image = Image.open(io.BytesIO(body))
    assert image.size == (640, 480) and not image.getexif().get_ifd(0x8825) and b"Xiaomi" not in body
    api = client.get(f"/api/desk/requests/{attachment.request_id}").json()["attachments"]
    assert api[0]["url"] == f"/api/desk/attachments/{attachment.pk}" and api[0]["original_name"] == "卫生间渗水.jpg"
    assert client.get(api[0]["url"])["Content-Type"] == "image/jpeg"


def test_a_decompression_bomb_is_a_field_error_in_the_form_and_the_api(world, login, media):
    bomb = png_bomb()
    assert len(bomb) < 200_000
    client = login(world.users["agent_a"])
    response = client.post(reverse(INTAKE), form_data(client, world, photos=[
        SimpleUploadedFile("bomb.png", bomb, "image/png")]))
    assert response.status_code == 200
    assert response.context["form"].errors["photos"] == ["“bomb.png”像素过多：最多 5000 万像素。"]
    sr = recorded(world, dispatch=False)
    api = client.post(f"/api/desk/requests/{sr.pk}/photos", {"files": [SimpleUploadedFile("bomb.png", bomb)]})
    assert api.status_code == 400
    assert api.json()["extra"]["fields"] == {"files": ["“bomb.png”像素过多：最多 5000 万像素。"]}
    assert not Attachment.objects.exists() and stored_files(media) == []


def test_a_bomb_just_over_pillows_own_limit_is_refused_too(world, login):
    """12000×12000 = 144 M pixels: above Pillow's warning threshold, below its error; still a field error."""
    sr = recorded(world, dispatch=False)
    api = login(world.users["agent_a"]).post(f"/api/desk/requests/{sr.pk}/photos",
                                              {"files": [SimpleUploadedFile("大图.png", png_bomb(12000, 12000))]})
    assert api.status_code == 400 and "大图.png" in api.json()["extra"]["fields"]["files"][0]


def test_heic_and_gif_are_refused_by_what_they_are_not_by_their_name(world, login):
    sr = recorded(world, dispatch=False)
    gif = io.BytesIO()
    Image.new("P", (8, 8)).save(gif, "GIF")
    client = login(world.users["agent_a"])
    refused = client.post(f"/api/desk/requests/{sr.pk}/photos", {"files": [
        SimpleUploadedFile("photo.jpg", gif.getvalue(), "image/jpeg"),
        SimpleUploadedFile("IMG_0001.HEIC", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic", "image/heic")]})
    assert refused.status_code == 400
    assert refused.json()["extra"]["fields"]["files"] == ["“photo.jpg”不是照片（JPEG、PNG 等）。",
                                                          "“IMG_0001.HEIC”是 HEIC 格式照片，无法读取。请以 JPEG 发送"
                                                          "（iPhone：设置 > 相机 > 格式 > “兼容性最佳”）。"]
    webp = io.BytesIO()
    Image.new("RGB", (20, 10), "orange").save(webp, "WEBP")
    added = client.post(f"/api/desk/requests/{sr.pk}/photos", {"files": [
        SimpleUploadedFile("x.png", webp.getvalue(), "image/png")]})
    assert added.status_code == 201 and added.json()[0]["content_type"] == "image/webp"
    assert Attachment.objects.get().file.name.endswith(".webp")


def test_an_id_beyond_any_column_is_a_404(world, login):
    client = login(world.users["agent_a"])
    assert client.get("/desk/attachments/99999999999999999999/").status_code == 404
    assert client.get("/api/desk/attachments/99999999999999999999").status_code in (404, 422)


def test_more_files_than_any_form_takes_is_a_400_not_a_500(world, login):
    sr = recorded(world, dispatch=False)
    files = [SimpleUploadedFile(f"{n}.png", png_bytes(), "image/png") for n in range(11)]
    client = login(world.users["agent_a"])
    assert client.post(f"/api/desk/requests/{sr.pk}/photos", {"files": files}).status_code == 400
    assert client.post(reverse(INTAKE), form_data(client, world, photos=files)).status_code == 400
    seven = client.post(f"/api/desk/requests/{sr.pk}/photos", {"files": files[:7]})
    assert seven.status_code == 400 and seven.json()["extra"]["fields"] == {"files": ["最多 6 张照片。"]}
    assert not Attachment.objects.exists()
