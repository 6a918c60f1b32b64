"""Data scope: what rows a user may see, decided in one place.

Every staff member is scoped to a company, a branch, a project or a department (StaffProfile); a resident
user sees only what is theirs. ``Model.objects.restrict(user)`` applies that scope to any queryset, and every
page and API endpoint reads through it (selectors), as NetBox's RestrictedQuerySet does.

Core imports no domain app: the profile is read from ``user.staff_profile`` and ``user.resident``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from django.apps import apps
from django.db import models


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    company_id: int | None = None
    branch_id: int | None = None
    project_id: int | None = None
    department_id: int | None = None
    resident_id: int | None = None
    user_id: int | None = None

    @property
    def nothing(self) -> bool:
        return not (self.everything or self.company_id or self.resident_id)

    @property
    def level(self) -> str:
        if self.everything:
            return "all"
        if self.resident_id:
            return "resident"
        for name in ("department", "project", "branch", "company"):
            if getattr(self, f"{name}_id"):
                return name
        return "none"

    @cached_property
    def project_ids(self) -> tuple[int, ...]:
        """The ids of the projects of a branch or company scope, read once and kept with the scope (which is
        cached on the user for the request). Rows are filtered by ``project_id IN (…)`` rather than through a
        join to projects, so that the per-project indexes serve branch- and company-wide lists."""
        if self.branch_id:
            condition = {"branch_id": self.branch_id}
        elif self.company_id:
            condition = {"company_id": self.company_id}
        else:
            return ()
        project = apps.get_model("org", "Project")
        return tuple(project._base_manager.filter(**condition).order_by("id").values_list("id", flat=True))


NO_SCOPE = Scope()


def scope_of(user) -> Scope:
    """The user's scope, cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_propdesk_scope", None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    user._propdesk_scope = scope
    return scope


def _compute_scope(user) -> Scope:
    if user.is_superuser:
        return Scope(everything=True)
    profile = _related(user, "staff_profile")
    if profile is not None and profile.is_active:
        return Scope(
            user_id=user.pk,
            company_id=profile.company_id,
            branch_id=profile.branch_id,
            project_id=profile.project_id,
            department_id=profile.department_id,
        )
    resident = _related(user, "resident")
    if resident is not None:
        return Scope(resident_id=resident.pk)
    return NO_SCOPE


def _related(user, name):
    try:
        return getattr(user, name)
    except models.ObjectDoesNotExist:
        return None


class ScopedQuerySet(models.QuerySet):
    """A queryset that can be narrowed to what a user may see.

    ``project_path`` is the lookup from this model to its Project (``"project"`` for most rows, ``"id"`` for
    Project itself). Models whose scope is not a project, or that residents may see, override
    ``scope_filter``.
    """

    project_path = "project"

    def restrict(self, user) -> ScopedQuerySet:
        scope = scope_of(user)
        if scope.everything:
            return self
        if scope.nothing:
            return self.none()
        return self.filter(self.scope_filter(scope))

    def scope_filter(self, scope: Scope) -> models.Q:
        path = self.project_path
        if scope.resident_id:
            return models.Q(pk__in=[])
        if scope.project_id:  # project and department staff see their project's archive
            return models.Q(**{f"{path}_id" if path != "id" else "id": scope.project_id})
        if path == "id":  # Project itself: its own columns
            if scope.branch_id:
                return models.Q(branch_id=scope.branch_id)
            return models.Q(company_id=scope.company_id)
        # Branch and company scope: the scope's project ids, the same rows as ``project__branch_id=`` (every
        # project has a branch and a company) without the join that kept the per-project indexes unused.
        return models.Q(**{f"{path}_id__in": scope.project_ids})


def pick_in_scope(queryset, value, name: str, errors: dict, message: str):
    """The row of ``queryset`` (already restricted to the user) whose id was sent as ``value``; None when nothing
    was sent. An id that is malformed, unknown or out of scope records the same ``message`` under ``errors[name]``,
    so the answer reveals nothing about rows the user may not see."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    found = queryset.filter(pk=int(text)).first() if text.isdigit() and len(text) <= 18 else None
    if found is None:
        errors[name] = [message]
    return found
