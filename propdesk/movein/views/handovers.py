"""Move-in pages: staff pages under /movein/ (slots, buyers, bookings, the handover checklist, the defects report)
and the buyer's booking page under /my/handover/<token>/ (no sign-in: the signed link is the key)."""

from django.urls import path

from . import buyer, checklist, defects, desk

urlpatterns = [
    path("movein/", desk.handover_list, name="handover_list"),
    path("movein/slots/", desk.slot_list, name="slot_list"),
    path("movein/slots/<int:slot_id>/", desk.slot_detail, name="slot_detail"),
    path("movein/buyers/", desk.buyer_list, name="buyer_list"),
    path("movein/bookings/<int:booking_id>/cancel/", desk.booking_cancel_view, name="booking_cancel"),
    path("movein/rooms/<int:room_id>/handover/", checklist.handover_checklist, name="handover_checklist"),
    path("movein/handovers/<int:handover_id>/", checklist.handover_detail, name="handover_detail"),
    path("movein/defects/", defects.defect_report, name="defect_report"),
    path("my/handover/<str:token>/", buyer.buyer_booking, name="buyer_booking"),
]
