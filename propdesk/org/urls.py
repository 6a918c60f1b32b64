from django.urls import path

from . import views
from .views import imports

app_name = "org"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:project_pk>/buildings/new/", views.building_create_view, name="building_create"),
    path("buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("rooms/<int:pk>/", views.room_detail, name="room_detail"),
    path("rooms/<int:pk>/edit/", views.room_edit, name="room_edit"),
    path("import/", imports.import_page, name="import"),
    path("import/jobs/<int:pk>/", imports.import_job, name="import_job"),
    path("import/rooms-template.xlsx", imports.rooms_template_download, name="import_template"),
]
