"""Reads of work and duty logs, through the user's scope. Lists fetch what their rows show in a fixed number of
queries (authors, departments and signers joined; open items and comments counted in the database)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q

from ..models import Log, LogComment, LogItem, LogKind, LogStatus

PEOPLE = ("author__staff_profile", "signed_by__staff_profile", "acknowledged_by__staff_profile")


def _base(user):
    return (Log.objects.restrict(user)
            .select_related("project", "department", "shift", *PEOPLE)
            .annotate(open_items=Count("items", filter=Q(items__done=False), distinct=True),
                      comment_count=Count("comments", distinct=True)))


def log_list(*, user, filters: dict | None = None):
    """Logs in scope, newest first. ``filters``: project_id, author_id, department_id, kind, day, unsigned
    (submitted, not yet signed)."""
    filters = filters or {}
    qs = _base(user)
    for name in ("project_id", "author_id", "department_id", "kind", "day"):
        value = filters.get(name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.get("unsigned"):
        qs = qs.filter(status=LogStatus.SUBMITTED)
    return qs.order_by("-starts_at", "-id")


def log_detail(*, user, log_id: int) -> Log:
    """One log with its items and comments; Log.DoesNotExist when outside the scope."""
    return (_base(user)
            .prefetch_related(Prefetch("items", queryset=LogItem.objects.order_by("position", "id")),
                              Prefetch("comments", queryset=LogComment.objects.select_related(
                                  "author__staff_profile").order_by("created_at", "id")))
            .get(pk=log_id))


def log_neighbours(log: Log) -> tuple[Log | None, Log | None]:
    """The previous log of the series (the one this shift took over) and the next (the shift after)."""
    related = Log.objects.select_related(*PEOPLE)
    previous = related.filter(pk=log.previous_id).first() if log.previous_id else None
    following = related.filter(previous_id=log.pk).order_by("starts_at", "id").first()
    return previous, following


def my_work_log(*, user, day: date) -> Log | None:
    return Log.objects.filter(kind=LogKind.WORK, author=user, day=day).first()


def my_duty_logs(*, user, day: date) -> list[Log]:
    return list(Log.objects.filter(kind=LogKind.DUTY, author=user, day=day).select_related(
        "shift", "department", "previous__author__staff_profile").order_by("starts_at", "id"))


def logs_of_day(*, user, project_id: int, day: date) -> list[Log]:
    """A project's logs of a day (the morning page): duty logs first, then work logs, each with its open items and
    comments (two more queries, whatever the number of logs)."""
    return list(_base(user).filter(project_id=project_id, day=day)
                .prefetch_related(Prefetch("items", queryset=LogItem.objects.filter(done=False).order_by(
                                      "position", "id"), to_attr="open_item_list"),
                                  Prefetch("comments", queryset=LogComment.objects.select_related(
                                      "author__staff_profile").order_by("created_at", "id")))
                .order_by("-kind", "starts_at", "id"))  # "work" > "duty": duty logs first


def person_name(user) -> str:
    if user is None:
        return ""
    profile = getattr(user, "staff_profile", None)
    return profile.display_name if profile else user.get_username()


def people_with_logs(*, user) -> list[tuple[int, str]]:
    """The authors of logs in scope, for the list's filter (one query)."""
    rows = (Log.objects.restrict(user).values("author_id", "author__staff_profile__display_name", "author__username")
            .distinct().order_by("author__staff_profile__display_name", "author_id"))
    return [(r["author_id"], r["author__staff_profile__display_name"] or r["author__username"]) for r in rows]


def departments_with_logs(*, user) -> list[tuple[int, str]]:
    rows = (Log.objects.restrict(user).filter(department__isnull=False).values("department_id", "department__name")
            .distinct().order_by("department__name", "department_id"))
    return [(r["department_id"], r["department__name"]) for r in rows]
