from django.urls import path

from . import views
from .views import pwa

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("requests/<int:pk>/rate/", views.request_rate, name="request_rate"),
]

# 住这儿 installable (views/pwa.py): public, no data
urlpatterns += [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
