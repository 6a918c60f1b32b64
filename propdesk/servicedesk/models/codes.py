from django.db import models


class CodeThrottle(models.Model):
    """The one-time codes texted to one phone in the last hour, to limit how often a phone gets one
    (services/codes.py). The phone is kept as an HMAC, not as the number."""

    phone_key = models.CharField(max_length=64, unique=True)
    sent = models.JSONField(default=list, blank=True)  # ISO times of the sends within the last hour

    def __str__(self):
        return f"{self.phone_key[:8]}… {len(self.sent)}"
