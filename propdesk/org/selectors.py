"""Reads of the org and property tree, scoped by user; counts aggregated in SQL."""

from django.db.models import Count, Q

from .choices import RoomStatus
from .models import Building, ImportJob, Project, Room, Unit


def org_tree(*, user):
    """Company → branches → projects with room counts, in three queries."""
    projects = list(
        Project.objects.restrict(user).select_related("branch", "company")
        .annotate(room_count=Count("rooms", distinct=True)).order_by("branch__code", "code")
    )
    branches: dict[int, dict] = {}
    for project in projects:
        entry = branches.setdefault(project.branch_id, {"branch": project.branch, "projects": []})
        entry["projects"].append(project)
    companies = {p.company_id: p.company for p in projects}
    return [{"company": c, "branches": [b for b in branches.values() if b["branch"].company_id == c.pk]}
            for c in companies.values()]


def project_detail(*, user, project_id: int):
    project = Project.objects.restrict(user).select_related("branch", "company").get(pk=project_id)
    buildings = (Building.objects.filter(project=project)
                 .annotate(room_count=Count("rooms", distinct=True),
                           unit_count=Count("units", distinct=True),
                           occupied=Count("rooms", filter=Q(rooms__status=RoomStatus.OCCUPIED), distinct=True))
                 .order_by("sort", "id"))
    return project, buildings


def building_detail(*, user, building_id: int):
    """A building and its rooms laid out as a grid: floors (top first) × units' rooms."""
    building = Building.objects.restrict(user).select_related("project", "project__branch").get(pk=building_id)
    units = list(Unit.objects.filter(building=building).order_by("id"))
    rooms = list(Room.objects.filter(building=building).only("id", "unit_id", "floor", "number", "code", "status")
                 .order_by("-floor", "unit_id", "number"))
    floors: dict[int, dict[int, list[Room]]] = {}
    for room in rooms:
        floors.setdefault(room.floor, {}).setdefault(room.unit_id, []).append(room)
    grid = [{"floor": floor, "cells": [floor_rooms.get(unit.pk, []) for unit in units]}
            for floor, floor_rooms in floors.items()]
    return building, units, grid


def room_detail(*, user, room_id: int) -> Room:
    return Room.objects.restrict(user).select_related("project", "building", "unit").get(pk=room_id)


def import_job_get(*, user, job_id: int):
    """An import job for the page that follows it: its creator's, and only while its project is in their scope.
    Raises ImportJob.DoesNotExist otherwise."""
    return ImportJob.objects.restrict(user).select_related("project").get(pk=job_id, created_by=user)


def import_jobs_recent(*, user, limit: int = 5) -> list[ImportJob]:
    """The user's latest import jobs, to find one again from the import page."""
    return list(ImportJob.objects.restrict(user).filter(created_by=user).select_related("project")
                .order_by("-created_at", "-id")[:limit])
