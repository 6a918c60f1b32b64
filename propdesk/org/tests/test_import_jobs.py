"""A large import runs as background work with a page that shows how far it got (issue 10, hole 3): the upload is
kept in the storage until the worker has read it, the result lands on the job, and only its creator sees it."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from propdesk.customers.models import Resident
from propdesk.org.models import ImportJob, ImportStatus, Room
from propdesk.org.tests.test_imports import HEADERS, xlsx

pytestmark = pytest.mark.django_db(transaction=True)  # the worker commits, as it does in production


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def rooms(count: int, building="8", bad_every: int = 0) -> list[list]:
    rows = [HEADERS]
    for n in range(count):
        floor, door = divmod(n, 40)
        room = "一楼" if bad_every and n % bad_every == bad_every - 1 else f"{floor + 1}{door + 1:02d}"
        rows.append([building, "1", room, floor + 1, 89.5, "住宅", "空置"])
    return rows


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def run_worker():
    call_command("db_worker", batch=True, queue_name="*", interval=0, no_startup_delay=True, verbosity=0)


def test_a_large_room_list_becomes_a_job_the_worker_runs_and_the_page_shows(world, login, media):
    client = login(world.users["pm_a"])
    response = client.post(reverse("org:import"), {"rooms-project": world.project_a.pk,
                                                  "rooms-file": xlsx(rooms(2400), name="8号楼房屋清单.xlsx")})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("org:import_job", args=[job.pk])
    # Nothing was imported inside the request; the upload waits in the storage under a name the server chose.
    assert not Room.objects.filter(project=world.project_a, building__number="8").exists()
    assert job.status == ImportStatus.QUEUED and job.file_name == "8号楼房屋清单.xlsx"
    assert job.file.name.startswith("imports/") and len(stored_files(media)) == 1
    assert DBTaskResult.objects.filter(task_path="propdesk.org.tasks.run_import_job", args_kwargs__args=[job.pk])

    waiting = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in waiting and "等待开始" in waiting

    run_worker()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.done >= 2000 and job.total == 2400
    assert Room.objects.filter(project=world.project_a, building__number="8").count() == 2400
    assert stored_files(media) == []  # read, then deleted
    fragment = client.get(response.url, headers={"HX-Request": "true"})
    body = fragment.content.decode()
    assert "<html" not in body and "hx-trigger" not in body  # finished: the page stops polling
    assert "翠湖花园：已导入 2400 户（新建楼栋 1 栋，单元 1 个）。" in body
    assert reverse("org:project_detail", args=[world.project_a.pk]) in body
    import_page = client.get(reverse("org:import")).content.decode()
    assert f'href="{response.url}"' in import_page and "8号楼房屋清单.xlsx" in import_page and "已完成" in import_page


def test_a_large_list_with_bad_rows_imports_nothing_and_the_job_lists_them(world, login, media):
    client = login(world.users["pm_a"])
    response = client.post(reverse("org:import"), {"rooms-project": world.project_a.pk,
                                                  "rooms-file": xlsx(rooms(2400, bad_every=400))})
    run_worker()
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.error_count == 6
    assert not Room.objects.filter(project=world.project_a, building__number="8").exists()
    body = client.get(response.url).content.decode()
    assert "<td>401</td><td>房号</td>" in body and "<td>2401</td><td>房号</td>" in body
    assert "hx-trigger" not in body and stored_files(media) == []


def test_a_large_owner_list_runs_as_a_job_too(world, login):
    rows = [["姓名", "手机", "房号"]] + [[f"业主{n}", f"139{n:08d}", f"3-{1 + n % 2}-{(n // 2) % 20 + 1}0{n % 2 + 1}"]
                                      for n in range(2000)]
    response = login(world.users["pm_a"]).post(reverse("customers:import"), {
        "residents-project": world.project_a.pk, "residents-file": xlsx(rows)})
    assert response.status_code == 302 and "/import/jobs/" in response.url
    before = Resident.objects.count()
    run_worker()
    assert ImportJob.objects.get().status == ImportStatus.DONE
    assert Resident.objects.count() == before + 2000


def test_only_its_creator_sees_a_job(world, login, client):
    pm = login(world.users["pm_a"])
    response = pm.post(reverse("org:import"), {"rooms-project": world.project_a.pk, "rooms-file": xlsx(rooms(2400))})
    url = response.url
    pm.logout()
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for other in ("admin", "agent_a"):  # an admin in scope did not upload it; an agent may not import
        login(world.users[other])
        assert client.get(url).status_code in (403, 404)
        client.logout()
    login(world.users["admin"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("org:import_job", args=[ImportJob.objects.get().pk + 1])).status_code == 404


def test_a_small_list_is_still_imported_at_once(world, login):
    response = login(world.users["pm_a"]).post(reverse("org:import"), {
        "rooms-project": world.project_a.pk, "rooms-file": xlsx(rooms(300))})
    assert response.status_code == 302 and response.url == reverse("org:project_detail", args=[world.project_a.pk])
    assert not ImportJob.objects.exists()
    assert Room.objects.filter(project=world.project_a, building__number="8").count() == 300


def test_a_job_id_beyond_any_column_is_a_404(world, login):
    assert login(world.users["pm_a"]).get("/org/import/jobs/99999999999999999999/").status_code == 404
