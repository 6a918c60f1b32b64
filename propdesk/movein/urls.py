"""Move-in pages in the ``movein`` namespace, included at the root: staff pages under /movein/, the buyer's
booking under /my/handover/."""

from django.urls import include, path

app_name = "movein"
urlpatterns = [
    path("", include("propdesk.movein.views.handovers")),
]
