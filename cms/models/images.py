"""The site's image model: like Wagtail's, but every file name carries a random token.

Original images and renditions are served as plain files from MEDIA_URL; the token makes their addresses
unguessable, so an image used only on a members-only page cannot be found by trying paths."""

import os
import secrets

from django.db import models
from django.utils.text import slugify
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class SiteImage(AbstractImage):
    admin_form_fields = Image.admin_form_fields

    def get_upload_to(self, filename: str) -> str:
        stem, ext = os.path.splitext(os.path.basename(filename))
        name = f"{secrets.token_urlsafe(12)}-{slugify(stem)[:40] or 'image'}{ext.lower()}"
        return super().get_upload_to(name)


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
