from django.urls import reverse

from propdesk.org.models import Building, Room


def test_agent_of_project_a_gets_404_for_project_b_property(world, login):
    client = login(world.users["agent_a"])
    room_b = world.room(world.project_b, "3-1-101")
    building_b = Building.objects.get(project=world.project_b, number="3")
    assert client.get(reverse("org:room_detail", args=[room_b.pk])).status_code == 404
    assert client.get(reverse("org:building_detail", args=[building_b.pk])).status_code == 404
    assert client.get(reverse("org:project_detail", args=[world.project_b.pk])).status_code == 404
    room_a = world.room(world.project_a, "3-2-1802")
    assert client.get(reverse("org:room_detail", args=[room_a.pk])).status_code == 200


def test_tree_shows_only_projects_in_scope(world, login):
    body = login(world.users["agent_a"]).get(reverse("org:tree")).content.decode()
    assert world.project_a.name in body and world.project_b.name not in body


def test_resident_reaches_own_room_only(world, login):
    client = login(world.users["resident_a"])
    assert client.get(reverse("org:room_detail", args=[world.room(world.project_a, "3-2-1802").pk])).status_code == 200
    assert client.get(reverse("org:room_detail", args=[world.room(world.project_a, "5-1-301").pk])).status_code == 404


def test_building_generator_creates_the_rooms(world, login):
    client = login(world.users["pm_a"])
    response = client.post(reverse("org:building_create", args=[world.project_a.pk]), {
        "number": "8", "name": "8号楼", "floors": 18, "units": 2, "rooms_per_floor": 3, "first_floor": 1,
        "room_type": "residence", "area": "96.5",
    })
    building = Building.objects.get(project=world.project_a, number="8")
    assert response.url == reverse("org:building_detail", args=[building.pk])
    assert building.rooms.count() == 18 * 2 * 3
    assert Room.objects.filter(project=world.project_a, code="8-2-1803").exists()
    grid = client.get(response.url)
    assert "1803" in grid.content.decode()


def test_building_generator_refuses_a_duplicate_number_at_the_field(world, login):
    client = login(world.users["pm_a"])
    before = Room.objects.count()
    response = client.post(reverse("org:building_create", args=[world.project_a.pk]), {
        "number": "3", "floors": 5, "units": 1, "rooms_per_floor": 2, "first_floor": 1, "room_type": "residence",
    })
    assert "number" in response.context["form"].errors
    assert Room.objects.count() == before


def test_agent_cannot_edit_the_tree(world, login):
    client = login(world.users["agent_a"])
    assert client.get(reverse("org:building_create", args=[world.project_a.pk])).status_code == 403


def test_pm_of_a_cannot_add_a_building_to_b(world, login):
    client = login(world.users["pm_a"])
    response = client.post(reverse("org:building_create", args=[world.project_b.pk]), {
        "number": "9", "floors": 5, "units": 1, "rooms_per_floor": 2, "first_floor": 1, "room_type": "residence",
    })
    assert response.status_code == 404
    assert not Building.objects.filter(number="9").exists()


def test_room_edit_changes_status(world, login):
    client = login(world.users["pm_a"])
    room = world.room(world.project_a, "5-1-301")
    client.post(reverse("org:room_edit", args=[room.pk]),
                {"floor": 3, "area": "75", "room_type": "residence", "status": "renovating"})
    room.refresh_from_db()
    assert room.status == "renovating"


def test_an_id_beyond_the_integer_range_is_not_found(world, login):
    client = login(world.users["agent_a"])
    assert client.get("/org/rooms/99999999999999999999999/").status_code == 404
    assert client.get("/api/org/rooms/99999999999999999999999").status_code == 404


def test_a_project_user_sees_each_department_once(world):
    from propdesk.org.models import Department

    names = list(Department.objects.restrict(world.users["agent_a"]).values_list("name", flat=True))
    assert len(names) == len(set(names)) == 4
