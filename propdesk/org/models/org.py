import datetime

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.models import TimeStampedModel
from propdesk.core.scoping import ScopedQuerySet

from ..choices import DepartmentKind
from ..rules import NUMBER_PREFIX_PATTERN, number_prefix_for


class Company(TimeStampedModel):
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    # Residents are not texted in these hours (the project's local time); urgent messages still go. Equal: none.
    quiet_hours_start = models.TimeField(_("quiet hours from"), default=datetime.time(21, 0),
                                         help_text=_("Messages to residents that are not urgent wait until the end "
                                                     "of the quiet hours. The same time twice: no quiet hours."))
    quiet_hours_end = models.TimeField(_("quiet hours until"), default=datetime.time(8, 0))

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["id"]

    def __str__(self):
        return self.name


class BranchQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.branch_id:
            return models.Q(id=scope.branch_id)
        if scope.project_id:
            return models.Q(projects__id=scope.project_id)
        return models.Q(company_id=scope.company_id)


class Branch(TimeStampedModel):
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="branches",
                                verbose_name=_("company"))
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=32)

    objects = BranchQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch")
        verbose_name_plural = _("branches")
        ordering = ["company_id", "code"]
        constraints = [models.UniqueConstraint(fields=["company", "code"], name="branch_code_unique")]

    def __str__(self):
        return self.name


class ProjectQuerySet(ScopedQuerySet):
    project_path = "id"

    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(residents__id=scope.resident_id)
        return super().scope_filter(scope)


class Project(TimeStampedModel):
    """A 项目/小区: the unit of day-to-day service. ``company`` is stored beside ``branch`` so that
    company-wide scope filters without a join."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="projects",
                                verbose_name=_("company"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="projects",
                               verbose_name=_("branch"))
    name = models.CharField(_("name"), max_length=100)
    code = models.SlugField(_("code"), max_length=32, unique=True)
    number_prefix = models.CharField(
        _("number prefix"), max_length=4, unique=True, blank=True,
        validators=[RegexValidator(rf"^{NUMBER_PREFIX_PATTERN}$", _("Use 2 to 4 capital letters, e.g. CH."))],
        help_text=_("Starts every request, work-order and receipt number of the project (CH-261130-014), so that "
                    "numbers are unique in the company. 2–4 capital letters; left empty, one is derived from the "
                    "code. It cannot be changed later."))
    address = models.CharField(_("address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=50, blank=True)
    timezone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    service_phone = models.CharField(_("service phone"), max_length=30, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["branch_id", "code"]
        indexes = [models.Index(fields=["company", "branch"], name="project_company_branch")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.branch_id and not self.company_id:
            self.company_id = self.branch.company_id
        if not self.number_prefix:
            taken = set(Project.objects.exclude(pk=self.pk).values_list("number_prefix", flat=True))
            self.number_prefix = number_prefix_for(self.code, taken)
        super().save(*args, **kwargs)


class DepartmentQuerySet(ScopedQuerySet):
    def scope_filter(self, scope):
        if scope.resident_id:
            return models.Q(pk__in=[])
        if scope.department_id:
            return models.Q(id=scope.department_id)
        if scope.project_id:
            # A subquery, not a join through branch__projects, which would repeat each department per project.
            branch_of_project = Project.objects.filter(pk=scope.project_id).values("branch_id")
            return models.Q(project_id=scope.project_id) | models.Q(project__isnull=True,
                                                                    branch_id__in=branch_of_project)
        if scope.branch_id:
            return models.Q(branch_id=scope.branch_id)
        return models.Q(branch__company_id=scope.company_id)


class Department(TimeStampedModel):
    """A department of a project (customer service, engineering, security, cleaning, landscaping) or of a
    branch (finance). ``branch`` is always set; ``project`` only for project departments."""

    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="departments",
                               verbose_name=_("branch"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="departments",
                                null=True, blank=True, verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=32, choices=DepartmentKind.choices)
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    head = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("department head"))

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["branch_id", "project_id", "kind", "id"]
        indexes = [models.Index(fields=["project", "kind"], name="department_project_kind")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.project_id and not self.branch_id:
            self.branch_id = self.project.branch_id
        super().save(*args, **kwargs)
