def test_world_builds(world):
    assert world.residents["a_owner"].archive_no == "20260214001"
    assert world.residents["a_family"].archive_no == "20260214002"
