from django.urls import path

from . import views
from .views import imports

app_name = "customers"
urlpatterns = [
    path("", views.resident_list, name="resident_list"),
    path("new/", views.resident_create_view, name="resident_create"),
    path("<int:pk>/", views.resident_detail, name="resident_detail"),
    path("<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/rooms/", views.occupancy_add_view, name="occupancy_add"),
    path("occupancies/<int:pk>/end/", views.occupancy_end_view, name="occupancy_end"),
    path("<int:pk>/reveal-id/", views.id_reveal_view, name="id_reveal"),
    path("phones/<int:pk>/reveal/", views.phone_reveal_view, name="phone_reveal"),
    path("import/", imports.residents_import_view, name="import"),
    path("import/residents-template.xlsx", imports.residents_template_download, name="import_template"),
]
