"""Service-language pages in the ``wording`` namespace, under /wording/."""

from django.urls import path

from . import views

app_name = "wording"
urlpatterns = [
    path("report/", views.report, name="report"),
]
