"""URL patterns of the dashboards and KPI pages (see urls.py)."""

from django.urls import path

from .views import dashboards

urlpatterns = [
    path("", dashboards.dashboard, name="dashboard"),
    path("kpis/", dashboards.kpis, name="kpis"),
]
