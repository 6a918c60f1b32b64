import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.core.models import TimeStampedModel
from propdesk.org.models import Branch, Company, Department, Project

from .rules.roles import ROLE_SCOPE_LEVEL
from .rules.tokens import DEFAULT_LIFETIME_DAYS, expiry


class Role(models.TextChoices):
    AGENT = "agent", _("customer service agent")
    STEWARD = "steward", _("steward")
    TECHNICIAN = "technician", _("technician")
    DEPT_STAFF = "dept_staff", _("department staff")
    PROJECT_MANAGER = "project_manager", _("project manager")
    BRANCH_LEADER = "branch_leader", _("branch leader")
    QUALITY = "quality", _("quality management")
    FINANCE = "finance", _("finance")
    ADMIN = "admin", _("system administrator")


class StaffProfile(TimeStampedModel):
    """A staff member's role and data scope. The narrowest of department, project, branch, company set here
    is the scope; the wider ones are filled in from it so that every filter is one column."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_profile",
                                verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+", verbose_name=_("company"))
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("branch"))
    project = models.ForeignKey(Project, on_delete=models.PROTECT, null=True, blank=True, related_name="staff",
                                verbose_name=_("project"))
    department = models.ForeignKey(Department, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="staff", verbose_name=_("department"))
    display_name = models.CharField(_("name"), max_length=50)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["company_id", "branch_id", "project_id", "role", "id"]
        indexes = [
            models.Index(fields=["project", "role"], name="staff_project_role"),
            models.Index(fields=["branch", "role"], name="staff_branch_role"),
        ]

    def __str__(self):
        return f"{self.display_name} ({self.get_role_display()})"

    def clean(self):
        self.fill_wider_scope()
        level = ROLE_SCOPE_LEVEL.get(self.role)
        needed = {"department": self.department_id, "project": self.project_id, "branch": self.branch_id,
                  "company": self.company_id}
        if level and not needed[level]:
            raise ValidationError({level: _("This role must be scoped to a %(level)s.") % {"level": level}})

    def fill_wider_scope(self):
        if self.department_id:
            dept = self.department
            self.project_id = dept.project_id
            self.branch_id = dept.branch_id
        if self.project_id:
            self.branch_id = self.project.branch_id
        if self.branch_id:
            self.company_id = self.branch.company_id

    def save(self, *args, **kwargs):
        self.fill_wider_scope()
        super().save(*args, **kwargs)


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """A digest of the user's stored password hash. It changes whenever the password does, by whatever path (the
    password form, the admin, ``set_password`` + ``save``, an unusable password), so a token stamped with it dies with
    the old password. Like Django's session hash, a hasher upgrade at sign-in counts as a change too."""
    return hashlib.sha256(f"propdesk.api-token:{user.password}".encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("read only")
    READ_WRITE = "read_write", _("read and write")


class TokenState(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("API token state", "active")
    EXPIRED = "expired", pgettext_lazy("API token state", "expired")
    REVOKED = "revoked", pgettext_lazy("API token state", "revoked")
    PASSWORD_CHANGED = "password_changed", pgettext_lazy("API token state", "void: password changed")
    USER_INACTIVE = "user_inactive", pgettext_lazy("API token state", "void: account deactivated")


class ApiToken(models.Model):
    """A bearer token for integrations. Only its hash is stored; the raw token is shown once. It works until it
    expires, is revoked, or its user's password changes or the user is deactivated."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("user"))
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    scope = models.CharField(_("scope"), max_length=16, choices=TokenScope.choices, default=TokenScope.READ_WRITE)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    password_fingerprint = models.CharField(max_length=64, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, *, user, name: str, scope: str = TokenScope.READ_WRITE, days: int = DEFAULT_LIFETIME_DAYS,
              now=None) -> tuple["ApiToken", str]:
        raw = "pd_" + secrets.token_urlsafe(32)
        now = now or timezone.now()
        token = cls.objects.create(user=user, name=name, key_hash=hash_token(raw), prefix=raw[:8], scope=scope,
                                   created_at=now, expires_at=expiry(now, days),
                                   password_fingerprint=password_fingerprint(user))
        return token, raw

    @property
    def read_only(self) -> bool:
        return self.scope == TokenScope.READ

    def state(self, now) -> TokenState:
        """Why the token does or does not work now (``user`` is read: select it along)."""
        if self.revoked:
            return TokenState.REVOKED
        if not self.user.is_active:
            return TokenState.USER_INACTIVE
        if self.password_fingerprint != password_fingerprint(self.user):
            return TokenState.PASSWORD_CHANGED
        if now >= self.expires_at:
            return TokenState.EXPIRED
        return TokenState.ACTIVE


# --- issue 13, staffdesk: skills and certificates of a staff member -------------------------------------------------

class SkillChoice(models.TextChoices):
    """rules/skills.Skill, with labels."""

    PLUMBING_ELECTRICAL = "plumbing_electrical", _("plumbing and electrical")
    AIR_CONDITIONING = "air_conditioning", _("air conditioning")
    LIFT = "lift", _("lifts")
    LOW_VOLTAGE = "low_voltage", _("low-voltage systems")
    FIRE = "fire", _("fire safety")
    LANDSCAPING = "landscaping", _("landscaping")
    CLEANING = "cleaning", _("cleaning")
    CARPENTRY = "carpentry", _("doors, windows and carpentry")
    WELDING = "welding", _("welding")


class CertificateKindChoice(models.TextChoices):
    """rules/skills.CertificateKind, with labels."""

    ELECTRICIAN = "electrician", _("electrician (low voltage)")
    HIGH_VOLTAGE = "high_voltage", _("high-voltage electrician")
    LIFT = "lift", _("special equipment operator (lifts)")
    FIRE_OPERATOR = "fire_operator", _("fire facilities operator")
    WELDER = "welder", _("welder")
    WORK_AT_HEIGHT = "work_at_height", _("work at height")
    REFRIGERATION = "refrigeration", _("refrigeration and air conditioning")


class StaffSkill(models.Model):
    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="skills",
                                verbose_name=_("staff member"))
    skill = models.CharField(_("skill"), max_length=32, choices=SkillChoice.choices)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["profile_id", "skill"]
        constraints = [models.UniqueConstraint(fields=["profile", "skill"], name="staff_skill_unique")]
        indexes = [models.Index(fields=["skill", "profile"], name="staff_skill_skill")]

    def __str__(self):
        return self.get_skill_display()


class StaffCertificate(TimeStampedModel):
    """A certificate 证书 a staff member holds: valid through ``valid_until``; after that it shows as expired and
    counts for nothing."""

    profile = models.ForeignKey(StaffProfile, on_delete=models.CASCADE, related_name="certificates",
                                verbose_name=_("staff member"))
    kind = models.CharField(_("certificate"), max_length=32, choices=CertificateKindChoice.choices)
    number = models.CharField(_("certificate number"), max_length=40)
    valid_until = models.DateField(_("valid until"))

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["profile_id", "kind", "-valid_until", "id"]
        indexes = [models.Index(fields=["profile", "valid_until"], name="staff_cert_profile_until"),
                   models.Index(fields=["valid_until"], name="staff_cert_until")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"
