from django.urls import path

from .views import attachments, billing, holidays, incidents, intake, pwa, requests, workorders

app_name = "servicedesk"
urlpatterns = [
    path("", workorders.dispatch_queue, name="dispatch_queue"),
    path("intake/", intake.intake, name="intake"),
    path("intake/caller/<int:pk>/", intake.intake_caller, name="intake_caller"),
    path("requests/", requests.request_list, name="request_list"),
    path("requests/<int:pk>/", requests.request_detail, name="request_detail"),
    path("requests/<int:pk>/orders/", requests.workorder_add, name="workorder_add"),
    path("requests/<int:pk>/reply/", requests.reply, name="reply"),
    path("requests/<int:pk>/comment/", requests.comment, name="comment"),
    path("requests/<int:pk>/acknowledge/", requests.acknowledge, name="acknowledge"),
    path("attachments/<int:pk>/", attachments.attachment_file, name="attachment"),
    path("orders/mine/", workorders.my_orders, name="my_orders"),
    path("orders/overdue/", workorders.overdue, name="overdue"),
    path("orders/<int:pk>/", workorders.workorder_detail, name="workorder_detail"),
    path("orders/<int:pk>/code/", workorders.send_code, name="send_code"),
    path("orders/<int:pk>/contact/", workorders.contact_reveal, name="contact_reveal"),
    # Paid repairs and incidents (before the catch-all action path below).
    path("prices/", billing.price_list, name="price_list"),
    path("orders/<int:pk>/quote/", billing.quote, name="quote"),
    path("orders/<int:pk>/quote/agree/", billing.quote_agree_view, name="quote_agree"),
    path("orders/<int:pk>/quote/code/", billing.quote_code_view, name="quote_code"),
    path("orders/<int:pk>/quote/decline/", billing.quote_decline_view, name="quote_decline"),
    path("orders/<int:pk>/pay/", billing.payment_add, name="payment_add"),
    path("receipts/<int:pk>/", billing.receipt, name="receipt"),
    path("receipts/<int:pk>/void/", billing.receipt_void, name="receipt_void"),
    path("holidays/", holidays.holiday_calendar, name="holiday_calendar"),
    path("incidents/", incidents.incident_list, name="incident_list"),
    path("incidents/<int:pk>/", incidents.incident_detail, name="incident_detail"),
    path("incidents/<int:pk>/update/", incidents.incident_update_view, name="incident_update"),
    path("incidents/<int:pk>/close/", incidents.incident_close_view, name="incident_close"),
    path("incidents/<int:pk>/scope/", incidents.incident_scope_view, name="incident_scope"),
    path("incidents/<int:pk>/requests/", incidents.incident_add_request, name="incident_add_request"),
    path("requests/<int:pk>/incident/", incidents.request_incident, name="request_incident"),
    path("orders/<int:pk>/<slug:action>/", workorders.workorder_action, name="workorder_action"),
]

# 助这儿, the technician's installable app (views/pwa.py): public, no data
urlpatterns += [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
