"""Staff pages under /notices/ and the resident's under /my/notices/ (one namespace: included at the root)."""

from django.urls import path

from . import views

app_name = "notices"
urlpatterns = [
    path("notices/", views.notice_list, name="list"),
    path("notices/new/", views.notice_new, name="new"),
    path("notices/picker/", views.scope_picker, name="picker"),
    path("notices/<int:pk>/", views.notice_detail, name="detail"),
    path("notices/<int:pk>/withdraw/", views.notice_withdraw_view, name="withdraw"),
    path("my/notices/", views.my_notices, name="my_list"),
    path("my/notices/<int:pk>/", views.my_notice, name="my_detail"),
]
