"""What a renovation application lists: the work items, the contractor's workers (each with an ID number, masked
like residents' and revealed only to roles that may, and a pass number for the 出入证), and photos (drawings, the
home before work, a worker's photo)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from propdesk.core.masking import mask_id_number, mask_phone

from .applications import Renovation


class RenovationItem(models.Model):
    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="items",
                                   verbose_name=_("renovation"))
    code = models.CharField(_("work item"), max_length=32)  # renovation.rules.items.CODES
    note = models.CharField(_("note"), max_length=200, blank=True)
    flagged = models.BooleanField(_("flagged for the project manager"), default=False)

    class Meta:
        verbose_name = _("work item")
        verbose_name_plural = _("work items")
        ordering = ["renovation_id", "id"]
        constraints = [models.UniqueConstraint(fields=["renovation", "code"], name="renovation_item_unique")]

    def __str__(self):
        from ..rules.items import label_of

        return label_of(self.code)

    @property
    def label(self) -> str:
        return str(self)


class RenovationWorker(models.Model):
    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="workers",
                                   verbose_name=_("renovation"))
    name = models.CharField(_("name"), max_length=50)
    trade = models.CharField(_("trade"), max_length=30, blank=True)  # 木工, 水电工, 泥瓦工 …
    phone = models.CharField(_("phone"), max_length=24, blank=True)
    id_number = models.CharField(_("ID number"), max_length=18)  # validated like residents'; shown masked
    pass_number = models.CharField(_("pass number"), max_length=32, blank=True)  # set on approval

    class Meta:
        verbose_name = _("worker")
        verbose_name_plural = _("workers")
        ordering = ["renovation_id", "id"]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class PhotoKind(models.TextChoices):
    DRAWING = "drawing", _("drawing or photo")
    WORKER = "worker", _("worker photo")


class RenovationPhoto(models.Model):
    renovation = models.ForeignKey(Renovation, on_delete=models.CASCADE, related_name="photos",
                                   verbose_name=_("renovation"))
    worker = models.ForeignKey(RenovationWorker, on_delete=models.CASCADE, null=True, blank=True,
                               related_name="photos", verbose_name=_("worker"))
    kind = models.CharField(_("kind"), max_length=16, choices=PhotoKind.choices, default=PhotoKind.DRAWING)
    file = models.FileField(_("file"), upload_to="renovation/%Y/%m/")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField(default=0)
    original_name = models.CharField(max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("renovation photo")
        verbose_name_plural = _("renovation photos")
        ordering = ["renovation_id", "id"]

    def __str__(self):
        return self.original_name or f"photo {self.pk}"
