from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/phone/", views.login_phone, name="login_phone"),
    path("login/phone/home/", views.login_phone_home, name="login_phone_home"),
    path("my/homes/", views.my_homes, name="my_homes"),
    path("demo/messages/", views.demo_messages, name="demo_messages"),
]
