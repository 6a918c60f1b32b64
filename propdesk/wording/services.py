"""Writes of the service-language check: recording what remained in a text that was sent."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from propdesk.org.models import Project
from propdesk.staff.permissions import user_role

from .models import WordingFinding, WordingSource
from .rules import check_text


@transaction.atomic
def wording_record(*, user, project: Project | int | None, source: str, source_id: int, text: str,
                   now: datetime | None = None) -> list[WordingFinding]:
    """Record the phrases that remained in ``text`` when it was sent (a reply saved, a resident-visible comment, a
    notice published), one row each, for the quality department's report. Called by the services that send, in
    their transaction. ``project`` may be given by id (no query unless something is found). A text sent by no staff
    member (a resident, the system) records nothing, nor does a clean text."""
    if source not in WordingSource.values:
        raise ValueError(f"unknown wording source {source!r}")
    findings = check_text(text)
    if not findings or project is None or user_role(user) in (None, "resident"):
        return []
    if not isinstance(project, Project):
        project = Project.objects.only("id", "company_id").get(pk=project)
    at = now or timezone.now()
    return WordingFinding.objects.bulk_create([
        WordingFinding(company_id=project.company_id, project_id=project.pk, user_id=user.pk, source=source,
                       source_id=source_id, phrase=f.phrase, kind=f.kind, created_at=at) for f in findings])
