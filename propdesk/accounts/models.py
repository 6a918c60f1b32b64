"""What the phone sign-in keeps. Never a phone number or a code in clear: phones are HMACs keyed with SECRET_KEY
(``keys.phone_key``), codes are HMAC digests (servicedesk.services.codes.code_digest). The one exception is
the demo's message log (``DemoMessage``), written only when settings.DEMO_MESSAGE_LOG is on."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.customers.models import Occupancy
from propdesk.staff.models import ApiToken


class SignInCode(models.Model):
    """The one live sign-in code of a phone. A new code overwrites the last (so it voids it); a used one is cleared.
    Written for every number asked for, known or not, so that nothing here tells which numbers are in the archive."""

    phone_key = models.CharField(max_length=64, unique=True)
    digest = models.CharField(max_length=64, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    wrong = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["sent_at"], name="signin_code_sent")]

    def __str__(self):
        return f"{self.phone_key[:8]}… {self.sent_at:%Y-%m-%d %H:%M}" if self.sent_at else self.phone_key[:8]


class SignInThrottle(models.Model):
    """Recent hits of one limit per client address (codes asked for, wrong codes tried); ``key`` is the limit's name
    and an HMAC of the address."""

    key = models.CharField(max_length=80, unique=True)
    hits = models.JSONField(default=list, blank=True)  # ISO times inside the window
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("sign-in limit")
        verbose_name_plural = _("sign-in limits")
        indexes = [models.Index(fields=["updated_at"], name="signin_throttle_updated")]

    def __str__(self):
        return f"{self.key[:16]}… {len(self.hits)}"


class AppToken(models.Model):
    """What an app token signed in by phone remembers: the verified phone (as its HMAC), the homes and staff account
    the phone had then (each re-checked against the phone when used), and the home the token acts for."""

    token = models.OneToOneField(ApiToken, on_delete=models.CASCADE, related_name="phone_sign_in",
                                 verbose_name=_("API token"))
    phone_key = models.CharField(max_length=64, db_index=True)
    choices = models.JSONField(default=dict, blank=True)  # {"homes": [occupancy ids], "staff": user id or null}
    home = models.ForeignKey(Occupancy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("home"))

    class Meta:
        verbose_name = _("app sign-in")
        verbose_name_plural = _("app sign-ins")

    def __str__(self):
        return f"{self.token_id} {self.phone_key[:8]}…"


class DemoMessage(models.Model):
    """A text message as the phone would receive it, code included: the demo's message log (/demo/messages/). Written
    by the demo's SMS channel only while settings.DEMO_MESSAGE_LOG is on (the local demo); never otherwise."""

    to = models.CharField(_("to"), max_length=200)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("demo message")
        verbose_name_plural = _("demo messages")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.to}: {self.body[:20]}"
