from propdesk.portal import rules


def test_only_allowed_entries_are_steps_for_the_resident():
    assert rules.resident_step("created", "") == rules.RECEIVED
    assert rules.resident_step("work_order", "create") == rules.PASSED_ON
    assert rules.resident_step("work_order", "accept") == rules.ON_THE_WAY
    assert rules.resident_step("reply", "") == rules.REPLY
    assert rules.resident_step("call", "visit") == rules.VISIT
    for kind, action in [("escalation", "breach_department_head"), ("escalation", "intake_project_manager"),
                         ("comment", ""), ("call", ""), ("call", "visit_attempt"), ("work_order", "dispatch"),
                         ("work_order", "reassign"), ("work_order", "send_code"), ("status", "in_progress"),
                         ("status", "acknowledge"), ("payment", "quote_code"), ("something_new", "")]:
        assert rules.resident_step(kind, action) is None, (kind, action)
    assert rules.resident_step("reply", "", internal=True) is None


def test_plain_status_follows_the_most_advanced_order():
    assert rules.plain_status("open", []) == rules.RECEIVED_STATUS
    assert rules.plain_status("in_progress", ["dispatched"]) == rules.ARRANGED_STATUS
    assert rules.plain_status("in_progress", ["accepted", "pooled"]) == rules.COMING_STATUS
    assert rules.plain_status("in_progress", ["accepted", "on_site"]) == rules.HERE_STATUS
    assert rules.plain_status("in_progress", ["on_hold"]) == rules.PAUSED_STATUS
    assert rules.plain_status("in_progress", ["completed", "cancelled"]) == rules.DONE_STATUS
    assert rules.plain_status("resolved", ["completed"]) == rules.DONE_STATUS
    assert rules.plain_status("closed", ["completed"]) == rules.CLOSED_STATUS
    assert rules.plain_status("cancelled", []) == rules.CANCELLED_STATUS
