"""Fees pages, one module a part, all in the ``fees`` namespace and included at the root: staff pages under
/fees/, the resident's under /my/fees/."""

from django.urls import include, path

app_name = "fees"
urlpatterns = [
    path("", include("propdesk.fees.views.desk")),  # account of a home, payments, receipts, voids
    path("", include("propdesk.fees.views.adjustments")),  # reductions, corrections, late-fee waivers, refunds
    path("", include("propdesk.fees.views.online")),  # the resident's account and paying in the app
    path("", include("propdesk.fees.views.dunning")),  # arrears worklist, contacts, dunning letters, the ladder
    path("", include("propdesk.fees.views.reports")),  # collection rate, aging, daily closing, exports
    path("", include("propdesk.fees.views.setup")),  # fee items, rates, billing runs, readings, imports
]
