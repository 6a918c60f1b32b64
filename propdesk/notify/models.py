from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """An entry in a user's in-app inbox. ``dedupe_key`` makes a notification that must be sent once (an escalation
    rung, a status message to a resident) impossible to write twice."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("recipient"))
    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self):
        return self.title


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")


class OutboxMessage(models.Model):
    """A message to deliver outside the application (email, SMS, WeChat), written in the same transaction as the
    change that caused it and delivered by the worker. ``dedupe_key`` is unique: a change retried writes no second
    message, and the key goes to the channel as its idempotency key.

    A worker takes one message at a time with a lease (``claimed_by``, ``lease_until``; status ``sending``), sends
    it outside any transaction and then marks it sent; a message whose lease ran out (its worker died) is taken
    again. An SMS names an approved ``template`` (notify/sms.py) and its ``params``; ``body`` is the text rendered
    from them, for the log and for people reading the outbox."""

    channel = models.CharField(_("channel"), max_length=16)
    to = models.CharField(_("to"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    template = models.CharField(_("template"), max_length=64, blank=True)
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    available_at = models.DateTimeField(_("send after"))
    claimed_by = models.CharField(_("taken by worker"), max_length=100, blank=True)
    lease_until = models.DateTimeField(_("taken until"), null=True, blank=True)
    # The quiet hours a message to a resident keeps (the company's, in the project's zone), copied when it is
    # written; empty for staff mail and urgent messages. The worker checks them again when it sends, so a message
    # delayed by a backlog or a retry still does not arrive in the night.
    quiet_start = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_end = models.TimeField(_("quiet hours until"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outbox")
        ordering = ["id"]
        indexes = [models.Index(fields=["status", "available_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.channel}:{self.to} {self.subject}"


class Schedule(models.Model):
    """One periodic job of the worker clock (the deadline sweep, outbox delivery …) and when it is next due. Every
    worker's clock tries to take a due job with one conditional UPDATE; the one that succeeds runs or enqueues it
    and moves ``next_run_at`` on, so the job happens once per period however many workers run."""

    name = models.CharField(_("name"), max_length=64, unique=True)
    next_run_at = models.DateTimeField(_("next run at"))
    last_run_at = models.DateTimeField(_("last run at"), null=True, blank=True)
    last_run_by = models.CharField(_("last run by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("scheduled job")
        verbose_name_plural = _("scheduled jobs")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} @ {self.next_run_at:%Y-%m-%d %H:%M:%S}"
