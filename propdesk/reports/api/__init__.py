"""/api/reports/: each report's figures with the same scope and the same filters as its page."""

from ninja import Router

from . import dashboards, registers, summaries

router = Router(tags=["reports"])
router.add_router("/", registers.router)
router.add_router("/", summaries.router)
router.add_router("/", dashboards.router)
