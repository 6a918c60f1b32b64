"""Operating PropDesk: what an operator needs to see — the workers' heartbeat, the outbox and task backlog, overdue
work orders — on the admins' operations page (/ops/) and as Prometheus metrics (/metrics). One snapshot
(selectors.py) feeds both."""
