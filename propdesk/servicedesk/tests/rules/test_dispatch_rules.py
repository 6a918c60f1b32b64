import pytest

from propdesk.servicedesk.rules.dispatch import BuildingSpecError, Rule, building_matches, first_match, parse_buildings


def test_building_specs_as_residents_say_them():
    assert parse_buildings("1-10, 12，A") == (frozenset({"12", "A"}), ((1, 10),))
    assert building_matches("1-10", "7") and not building_matches("1-10", "11")
    assert building_matches("3,5,7", "5") and not building_matches("3,5,7", "4")
    assert building_matches("", "99") and building_matches("", None)
    assert not building_matches("1-10", None)  # a common area only matches an "anywhere" rule


@pytest.mark.parametrize("bad", ["1-", "10-1", "1~5", "一号楼"])
def test_bad_specs_are_refused(bad):
    with pytest.raises(BuildingSpecError):
        parse_buildings(bad)


def test_first_matching_rule_wins():
    rules = [Rule("repair", "1-10", 1, 100), Rule("repair", "", 2, None), Rule("", "", 3, None)]
    assert first_match(rules, kind="repair", building_number="3").department_id == 1
    assert first_match(rules, kind="repair", building_number="12").department_id == 2
    assert first_match(rules, kind="complaint", building_number="3").department_id == 3
    assert first_match([], kind="repair", building_number="3") is None
