"""Patrols 巡检: plans, checkpoints with QR codes, schedules, rounds on the phone, findings."""

from django.urls import path

from . import plans, rounds

urlpatterns = [
    path("patrols/", rounds.today, name="patrol_today"),
    path("patrols/rounds/<int:pk>/", rounds.round_detail, name="patrol_round"),
    path("patrols/rounds/<int:pk>/start/", rounds.round_start_view, name="patrol_round_start"),
    path("patrols/rounds/<int:pk>/finish/", rounds.round_finish_view, name="patrol_round_finish"),
    path("patrols/rounds/<int:pk>/code/", rounds.round_code, name="patrol_round_code"),
    path("patrols/rounds/<int:pk>/checkpoints/<int:checkpoint_id>/", rounds.checkpoint,
         name="patrol_checkpoint"),
    path("patrols/scan/<str:token>/", rounds.scan, name="patrol_scan"),
    path("patrols/plans/", plans.plan_list_view, name="patrol_plans"),
    path("patrols/plans/new/", plans.plan_new, name="patrol_plan_new"),
    path("patrols/plans/<int:pk>/", plans.plan_view, name="patrol_plan"),
    path("patrols/plans/<int:pk>/edit/", plans.plan_edit, name="patrol_plan_edit"),
    path("patrols/plans/<int:pk>/checkpoints/new/", plans.checkpoint_new, name="patrol_checkpoint_new"),
    path("patrols/plans/<int:pk>/qr/", plans.qr_sheet, name="patrol_qr"),
    path("patrols/report/", plans.report, name="patrol_report"),
]
