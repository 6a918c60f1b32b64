from propdesk.org.rules import generate_room_specs, parse_room_code


def test_generator_numbers_rooms_floor_then_door():
    specs = generate_room_specs(units=2, floors=3, rooms_per_floor=2)
    assert len(specs) == 2 * 3 * 2
    assert [s.number for s in specs if s.unit == "1"] == ["101", "102", "201", "202", "301", "302"]
    assert {s.unit for s in specs} == {"1", "2"}


def test_generator_high_floors_and_skips():
    specs = generate_room_specs(units=1, floors=3, rooms_per_floor=1, first_floor=17, skip_floors=frozenset({18}))
    assert [s.number for s in specs] == ["1701", "1901"]


def test_room_codes_in_the_forms_people_type():
    assert parse_room_code("3-2-1802") == ("3", "2", "1802")
    assert parse_room_code(" 3 2 1802 ") == ("3", "2", "1802")
    assert parse_room_code("3栋2单元1802室") == ("3", "2", "1802")
    assert parse_room_code("3/2/1802") == ("3", "2", "1802")
    assert parse_room_code("13812345678") is None
    assert parse_room_code("周美玲") is None
