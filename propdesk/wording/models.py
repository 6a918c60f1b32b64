"""What remained of the service-language check in texts that were sent: one row per phrase found, for the quality
department's counts per person, phrase and month. The text itself is not kept here (it stays with its reply,
comment or notice); ``source`` and ``source_id`` point at it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Company, Project


class FindingKind(models.TextChoices):
    FORBIDDEN = "forbidden", _("forbidden phrase")
    COLD = "cold", _("cold wording")
    BLAMING = "blaming", _("blaming wording")


class WordingSource(models.TextChoices):
    REPLY = "reply", _("reply to the resident")
    COMMENT = "comment", _("comment visible to the resident")
    NOTICE = "notice", _("notice")
    SMS = "sms", _("SMS")
    INCIDENT = "incident", _("incident update")


class WordingFinding(models.Model):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+", verbose_name=_("project"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("writer"))
    source = models.CharField(_("source"), max_length=16, choices=WordingSource.choices)
    source_id = models.PositiveBigIntegerField(_("source id"))
    phrase = models.CharField(_("phrase"), max_length=40)
    kind = models.CharField(_("kind"), max_length=16, choices=FindingKind.choices)
    created_at = models.DateTimeField(_("sent at"))

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service-language finding")
        verbose_name_plural = _("service-language findings")
        indexes = [models.Index(fields=["project", "created_at"], name="wording_project_at"),
                   models.Index(fields=["source", "source_id"], name="wording_source")]

    def __str__(self):
        return f"{self.phrase} ({self.source} {self.source_id})"
