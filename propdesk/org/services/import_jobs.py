"""Excel imports as background work: the upload is kept through the storage API, a worker reads it row by row
and records how far it got, and the result (or every bad row) lands on the job; the file is then deleted.

The import itself is the same service the page runs inline for a small file (all rows checked, then one
transaction), so a job that dies half-way wrote nothing and can simply run again.
"""

import logging
import uuid

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from propdesk.core.files import clean_original_name
from propdesk.core.imports import IMPORTERS, ImportFailed, WorkbookSize

from ..models import ImportJob, ImportStatus, Project

log = logging.getLogger(__name__)

MAX_JOB_ERRORS = 500  # row errors kept on a failed job; the count says how many there were
# A workbook whose sheets and string table unpack to more than this is imported by a worker, not in the request:
# some 500 to 1,000 rows (a row of a room or owner list is 150–300 bytes of XML).
INLINE_MAX_SHEET_BYTES = 160 * 1024


def runs_in_background(size: WorkbookSize) -> bool:
    return size.sheet_data > INLINE_MAX_SHEET_BYTES


@transaction.atomic
def import_job_create(*, kind: str, project: Project, file, actor, ip: str | None = None) -> ImportJob:
    """Keep the upload (through the storage API) and queue its import for the worker."""
    if kind not in IMPORTERS:
        raise ValueError(f"unknown import {kind!r}")
    job = ImportJob(kind=kind, project=project, created_by=actor, ip=ip, file_name=_display_name(file))
    file.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.xlsx", File(file), save=False)
    job.save()
    # Enqueued inside the transaction: with the database task backend the task row commits with the job or not
    # at all, so no job waits for a task that was never queued.
    from ..tasks import run_import_job

    run_import_job.enqueue(job.pk)
    return job


def _display_name(file) -> str:
    return clean_original_name(getattr(file, "name", ""))


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job (or one whose worker died while running it). A finished job is left alone."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("project", "created_by").filter(
            pk=job_id).first()
        if job is None or job.finished:
            return job
        job.status, job.started_at, job.done = ImportStatus.RUNNING, timezone.now(), 0
        job.save(update_fields=["status", "started_at", "done"])
    importer = IMPORTERS[job.kind]

    def progress(done: int, total: int | None) -> None:
        fields = {"done": done} if total is None else {"done": done, "total": max(total - 1, 0)}
        ImportJob.objects.filter(pk=job.pk).update(**fields)

    try:
        with job.file.storage.open(job.file.name, "rb") as stored:  # local folder or S3 alike
            result = importer.run(project=job.project, file=File(stored, name=job.file_name),
                                  actor=job.created_by, ip=job.ip, progress=progress)
    except ImportFailed as failure:
        _finish(job, ImportStatus.FAILED, message=failure.message, error_count=len(failure.errors),
                errors=[{"row": e.row, "column": e.column, "message": e.message}
                        for e in failure.errors[:MAX_JOB_ERRORS]])
    except Exception:
        log.exception("import job %s stopped", job.pk)
        _finish(job, ImportStatus.FAILED, message=_("The import stopped unexpectedly: nothing was imported. "
                                                   "Upload the file again; if it happens again, tell your "
                                                   "administrator."))
    else:
        _finish(job, ImportStatus.DONE, counts=result.counts,
                message=importer.message(job.project, result.counts))
    return job


def _finish(job: ImportJob, status: str, **fields) -> None:
    job.file.delete(save=False)  # the upload is not kept once read
    for name, value in fields.items():
        setattr(job, name, value)
    job.status, job.finished_at = status, timezone.now()
    job.save(update_fields=["status", "finished_at", "file", *fields])
