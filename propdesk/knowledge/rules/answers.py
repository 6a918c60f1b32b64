"""Which standard answers an agent sees for a project: pure, no Django."""

from __future__ import annotations

from collections.abc import Iterable


def effective(answers: Iterable, project_id: int | None) -> list:
    """The answers in force in ``project_id``: its own, and the company's (``project_id`` None) on topics it has no
    own answer for. Without a project (a company-wide reader) every answer is kept. Order is kept."""
    answers = list(answers)
    if project_id is None:
        return answers
    own_topics = {a.topic for a in answers if a.project_id == project_id}
    return [a for a in answers if a.project_id == project_id
            or (a.project_id is None and a.topic not in own_topics)]
