from django.urls import path

from .views import intake, requests, workorders

app_name = "servicedesk"
urlpatterns = [
    path("", workorders.dispatch_queue, name="dispatch_queue"),
    path("intake/", intake.intake, name="intake"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/orders/", requests.workorder_add, name="workorder_add"),
    path("requests/<int:pk>/reply/", requests.reply, name="reply"),
    path("requests/<int:pk>/comment/", requests.comment, name="comment"),
    path("requests/<int:pk>/acknowledge/", requests.acknowledge, name="acknowledge"),
    path("orders/mine/", workorders.my_orders, name="my_orders"),
    path("orders/overdue/", workorders.overdue, name="overdue"),
    path("orders/<int:pk>/", workorders.workorder_detail, name="workorder_detail"),
    path("orders/<int:pk>/code/", workorders.send_code, name="send_code"),
    path("orders/<int:pk>/contact/", workorders.contact_reveal, name="contact_reveal"),
    path("orders/<int:pk>/<slug:action>/", workorders.workorder_action, name="workorder_action"),
]
