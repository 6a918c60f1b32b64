"""Knowledge of the center (issue 16): the case library 案例库 and standard answers 标准答复.

Both belong to a company and, optionally, to one project: a row without a project is the company's and is read in
every project of it; a project's standard answer on a topic overrides the company's answer on the same topic
(selectors.answer_list). Both keep ``search_grams`` (servicedesk/rules/bigrams.py) for the word search and the
similarity ranking (rules/similarity.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.scoping import ScopedQuerySet
from propdesk.org.models import Company, Project
from propdesk.servicedesk.rules.bigrams import text_grams

TITLE_MAX = 120
TEXT_MAX = 4000
TAGS_MAX = 200


class CaseCategory(models.TextChoices):
    REPAIR = "repair", _("repair")
    COMPLAINT = "complaint", _("complaint")
    INQUIRY = "inquiry", _("inquiry")
    HELP = "help", _("help")
    SUGGESTION = "suggestion", _("suggestion")
    PRAISE = "praise", _("praise")
    PRACTICE = "practice", _("good service practice")


class KnowledgeQuerySet(ScopedQuerySet):
    """A project's rows to that project's staff (and the branch's and company's); the company's own rows (no
    project) to everyone of the company; nothing to residents."""

    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(pk__in=[])
        company_wide = models.Q(project__isnull=True, company_id=scope.company_id)
        if scope.project_id:
            return models.Q(project_id=scope.project_id) | company_wide
        if scope.branch_id:
            return models.Q(project_id__in=scope.project_ids) | company_wide
        return models.Q(company_id=scope.company_id)


class Case(models.Model):
    """案例: what happened, how it was handled, how it ended and what to learn, kept to teach and to look up."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("project"), help_text=_("Empty: a case for the whole company."))
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    category = models.CharField(_("category"), max_length=16, choices=CaseCategory.choices)
    happened = models.TextField(_("what happened"), max_length=TEXT_MAX)
    handling = models.TextField(_("how it was handled"), max_length=TEXT_MAX, blank=True)
    outcome = models.TextField(_("outcome"), max_length=TEXT_MAX, blank=True)
    lessons = models.TextField(_("lessons"), max_length=TEXT_MAX, blank=True)
    tags = models.CharField(_("tags"), max_length=TAGS_MAX, blank=True, help_text=_("Words separated by spaces."))
    source_request = models.ForeignKey("servicedesk.ServiceRequest", on_delete=models.SET_NULL, null=True,
                                       blank=True, related_name="+", verbose_name=_("source request"))
    source_note = models.CharField(_("source"), max_length=200, blank=True)  # e.g. the handbook it comes from
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("written by"))
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    search_grams = models.TextField(blank=True, default="", editable=False)

    objects = KnowledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["company", "project", "-created_at"], name="case_company_project"),
            models.Index(fields=["source_request"], name="case_source_request"),
        ]

    def __str__(self):
        return self.title

    @property
    def number(self) -> str:
        return f"AL{self.pk or 0:05d}"

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split() if t]

    def refresh_grams(self) -> None:
        self.search_grams = text_grams(self.title, self.tags, self.happened, self.handling, self.outcome,
                                       self.lessons)


class StandardAnswer(models.Model):
    """标准答复: the answer to a frequent question, for the agent on the phone. A project's answer on a topic
    overrides the company's answer on the same topic."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                verbose_name=_("project"),
                                help_text=_("Empty: the company's answer, used where a project has none of its own."))
    topic = models.CharField(_("topic"), max_length=40)
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"), max_length=TEXT_MAX)
    keywords = models.CharField(_("keywords"), max_length=TAGS_MAX, blank=True,
                                help_text=_("Other words residents use, separated by spaces."))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    search_grams = models.TextField(blank=True, default="", editable=False)

    objects = KnowledgeQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard answer")
        verbose_name_plural = _("standard answers")
        ordering = ["topic", "id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "topic"], condition=models.Q(project__isnull=True),
                                    name="answer_company_topic_unique"),
            models.UniqueConstraint(fields=["project", "topic"], condition=models.Q(project__isnull=False),
                                    name="answer_project_topic_unique"),
        ]
        indexes = [models.Index(fields=["company", "project", "topic"], name="answer_company_project")]

    def __str__(self):
        return self.topic

    def refresh_grams(self) -> None:
        self.search_grams = text_grams(self.topic, self.question, self.keywords, self.answer)
