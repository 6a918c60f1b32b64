from django.urls import path

from . import views
from .views import follow, pwa, report

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("report/<slug:kind>/", report.report, name="report"),
    path("requests/<int:pk>/", follow.request_detail, name="request_detail"),
    path("requests/<int:pk>/rate/", follow.request_rate, name="request_rate"),
    # following a request (views/follow.py)
    path("requests/<int:pk>/comment/", follow.request_comment, name="request_comment"),
    path("requests/<int:pk>/cancel/", follow.request_cancel, name="request_cancel"),
    path("requests/<int:pk>/hurry/", follow.request_hurry, name="request_hurry"),
    path("requests/<int:pk>/orders/<int:work_order_id>/confirm/", follow.workorder_confirm,
         name="workorder_confirm"),
    path("requests/<int:pk>/orders/<int:work_order_id>/quote/", follow.quote_answer, name="quote_answer"),
    path("receipts/<int:pk>/", follow.receipt, name="receipt"),
    path("photos/<int:pk>/", follow.attachment, name="attachment"),
]

# 住这儿 installable (views/pwa.py): public, no data
urlpatterns += [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
