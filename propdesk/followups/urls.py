from django.urls import path

from . import views
from .views import rates

app_name = "followups"
urlpatterns = [
    path("", views.visit_queue, name="visit_queue"),
    path("rates/", rates.rates_page, name="rates"),
    path("rate/<str:token>/", views.rate, name="rate"),
    path("rate/<str:token>/thanks/", views.rate_thanks, name="rate_thanks"),
    path("<int:pk>/", views.visit_detail, name="visit_detail"),
    path("<int:pk>/attempt/", views.visit_attempt_view, name="visit_attempt"),
    path("<int:pk>/reschedule/", views.visit_reschedule_view, name="visit_reschedule"),
    path("<int:pk>/record/", views.visit_record_view, name="visit_record"),
    path("<int:pk>/review/", views.visit_review_view, name="visit_review"),
    path("<int:pk>/phone/", views.visit_phone_reveal, name="visit_phone_reveal"),
]
