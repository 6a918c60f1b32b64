"""URL patterns of the registers (see urls.py). Each register's page also gives its Excel file with
``?format=xlsx`` (same filters; Capability.EXPORT)."""

from django.urls import path

from .views import registers

urlpatterns = [
    path("registers/requests/", registers.register_page, {"name": "requests"}, name="register_requests"),
    path("registers/complaints/", registers.register_page, {"name": "complaints"}, name="register_complaints"),
    path("registers/visits/", registers.register_page, {"name": "visits"}, name="register_visits"),
    path("registers/orders/", registers.register_page, {"name": "orders"}, name="register_orders"),
]
