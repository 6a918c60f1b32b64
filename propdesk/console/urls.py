from django.urls import path

from . import views
from .operations import views as operations

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_view, name="search"),
    path("ops/", operations.operations_page, name="operations"),
]
