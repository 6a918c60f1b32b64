"""A year of service-desk history for the demo: about 20,000 requests 报事 at scale 1.0 with their work orders and
timelines, so that queues, reports and the customer 360 page have something real to show.

Like the rest of the demo it is two phases. :func:`plan_history` is pure Python over the demo plan (residents, rooms,
common areas, staff) and ``random.Random(seed + SEED_OFFSET)``: for every request it decides who called, about what,
when, and then the whole life of its work orders — dispatch, accept, arrive, hold and resume, complete, the reply —
as a list of steps. Replaying those steps up to "as of" (midnight starting ``today``) gives the rows exactly as the
services would have left them: the same fields, the same timeline entries (with status changes derived by
``rules/transitions.request_state_from``), and the escalations the deadline sweep would have sent, rung by rung
(``rules/escalation``). Deadlines come from ``rules/sla.compute_deadlines`` on one working calendar with the handbook
defaults, which is what ``services/policy.policy_for`` gives the demo company (it has no ServicePolicy and no
WorkingHours of its own). :func:`build_history` writes the plan with ``bulk_create`` in batches, inside the demo's
transaction, and sets the request-number counters so that new requests continue after the demo's.

What the year looks like: more requests on weekday mornings and evenings, few at night; a summer peak (air
conditioners, leaks in the plum-rain season, mosquitoes), a Spring Festival dip. Requests older than a few days are
closed; the last two weeks hold open, in-progress and overdue work (a few orders per project are stalled past their
deadline, so the overdue queue shows real rows), and only those live rows carry a ``next_escalation_at``.
"""

from propdesk.console.demo.history.planner import iter_history, plan_history
from propdesk.console.demo.history.spec import SIGNATURE
from propdesk.console.demo.history.subjects import SUBJECTS
from propdesk.console.demo.history.write import build_history

__all__ = ["SIGNATURE", "SUBJECTS", "build_history", "iter_history", "plan_history"]
