"""URL patterns of the complaint summary, the visit statistics and the public service reports (see urls.py). The
summary pages give their Excel file with ``?format=xlsx`` (same filters; Capability.EXPORT), as the registers do."""

from django.urls import path, re_path

from .views import public, summaries

MONTH = r"(?P<project_id>[0-9]{1,18})/(?P<month>[0-9]{4}-[0-9]{2})"

urlpatterns = [
    path("complaints/", summaries.complaint_summary_page, name="complaint_summary"),
    path("visits/", summaries.visit_statistics_page, name="visit_statistics"),
    path("service-reports/", public.public_report_list, name="public_report_list"),
    re_path(rf"^service-reports/{MONTH}/$", public.public_report_detail, name="public_report_detail"),
    re_path(rf"^service-reports/{MONTH}/save/$", public.public_report_save_view, name="public_report_save"),
    re_path(rf"^service-reports/{MONTH}/publish/$", public.public_report_publish_view, name="public_report_publish"),
]
