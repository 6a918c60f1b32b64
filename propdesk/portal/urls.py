from django.urls import path

from . import views
from .views import report

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/rate/", views.request_rate, name="request_rate"),
    path("report/<slug:kind>/", report.report, name="report"),
]
