"""The count of committed changes that the data's version reads (``ChangeCounter``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeCounter(models.Model):
    """One row counting the committed transactions that changed any record.

    Part of the version under which whole public pages are cached
    (``archive.pagecache``): a save, a deletion or a change of links moves it, so a
    cached page never outlives the data it shows. Bulk writes that send no signals
    (imports, ``QuerySet.update``) move the records' ``updated_at`` instead, which the
    version also reads.
    """

    value = models.BigIntegerField(
        _("changes"), default=0, help_text=_("Incremented once per transaction that changed data.")
    )

    class Meta:
        verbose_name = _("change counter")
        verbose_name_plural = _("change counters")

    def __str__(self):
        return str(self.value)
