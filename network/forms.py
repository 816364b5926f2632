"""Validation of what people type into the network's forms."""

import io
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from .models import Profile, Theme

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_SIZE = 400
AVATAR_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_LINKS = 5
MAX_INTERESTS = 20
MAX_INTEREST_LENGTH = 50


def reject_markup(value: str) -> None:
    if value and MARKUP.search(value):
        raise ValidationError(_("Please remove the HTML tags (text between < and >); plain text works here."))


class NoMarkupMixin:
    """Every text field of the form refuses HTML tags with a clear message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                field.validators.append(reject_markup)


class ApplicationForm(NoMarkupMixin, forms.Form):
    display_name = forms.CharField(label=_("Your name, as members will see it"), max_length=80)
    organisation = forms.CharField(
        label=_("Organisation"),
        max_length=120,
        required=False,
        help_text=_("Optional. Leave empty if you take part in a personal capacity."),
    )
    relationship = forms.ChoiceField(
        label=_("How do you relate to co-production?"),
        choices=[("", _("Choose one"))] + Profile.Relationship.choices,
    )
    region = forms.ChoiceField(label=_("Region"), choices=[("", _("Choose one"))] + Profile.Region.choices)
    reason = forms.CharField(
        label=_("Why do you want to join?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("A few sentences for the moderators (up to 2,000 characters)."),
    )


class ProfileForm(NoMarkupMixin, forms.ModelForm):
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Themes you work on"),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my photo"), required=False)

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "pronouns",
            "pronouns_visibility",
            "organisation",
            "organisation_visibility",
            "job_title",
            "job_title_visibility",
            "relationship",
            "relationship_visibility",
            "region",
            "region_visibility",
            "themes",
            "interests",
            "interests_visibility",
            "bio",
            "bio_visibility",
            "avatar",
            "links",
            "links_visibility",
        ]
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 8}),
            "links": forms.Textarea(attrs={"rows": 3}),
            # A plain input: the photo itself is shown beside it through its members-only address.
            "avatar": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        }
        help_texts = {
            "interests": _("Comma-separated, e.g. time banking, peer support"),
            "avatar": _("A JPEG, PNG, WebP or GIF up to 5 MB. We crop it square."),
        }
        # Our own checks (size first, then content) give clearer messages than ImageField's.
        field_classes = {"avatar": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].required = True
        self.fields["display_name"].required = True

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Please give at most %(n)s links."), params={"n": MAX_LINKS})
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            try:
                check(line)
            except ValidationError:
                raise ValidationError(
                    _("“%(link)s” is not a web address starting with https://."), params={"link": line[:80]}
                ) from None
        return "\n".join(lines)

    def clean_interests(self) -> list[str]:
        tags = self.cleaned_data["interests"]
        if len(tags) > MAX_INTERESTS:
            raise ValidationError(_("Please list at most %(n)s interests."), params={"n": MAX_INTERESTS})
        too_long = [tag for tag in tags if len(tag) > MAX_INTEREST_LENGTH]
        if too_long:
            raise ValidationError(
                _("Keep each interest under %(n)s characters: “%(tag)s…” is longer."),
                params={"n": MAX_INTEREST_LENGTH, "tag": too_long[0][:30]},
            )
        for tag in tags:
            reject_markup(tag)
        return tags

    def clean_avatar(self):
        upload = self.cleaned_data.get("avatar")
        if not upload or upload == self.instance.avatar:
            return upload
        return square_avatar(upload)

    def save(self, commit=True):
        old_avatar = self.initial.get("avatar")
        profile = super().save(commit=False)
        if self.cleaned_data.get("remove_avatar") and not self.files.get("avatar"):
            profile.avatar = ""
        if commit:
            profile.save()
            self.save_m2m()
            if old_avatar and old_avatar != profile.avatar.name:
                # a replaced or removed photo leaves nothing behind in storage
                storage, name = profile.avatar.storage, getattr(old_avatar, "name", old_avatar)
                transaction.on_commit(lambda: storage.delete(name))
        return profile


def square_avatar(upload) -> SimpleUploadedFile:
    """Check an upload really is a reasonable image, then crop it square and shrink it to a small JPEG.

    Re-encoding drops whatever the file carried besides pixels (metadata, location, scripts)."""
    if upload.size > AVATAR_MAX_BYTES:
        raise ValidationError(_("That photo is larger than 5 MB; please choose a smaller one."))
    try:
        upload.seek(0)
        image = Image.open(upload)
        if image.format not in AVATAR_FORMATS:
            raise ValidationError(_("Please upload a JPEG, PNG, WebP or GIF image."))
        if image.width * image.height > AVATAR_MAX_PIXELS:
            raise ValidationError(_("That image has too many pixels; please choose a smaller one."))
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("That file is not an image we can read; please upload a JPEG or PNG photo.")
        ) from None
    image = ImageOps.exif_transpose(image).convert("RGB")
    image = ImageOps.fit(image, (AVATAR_SIZE, AVATAR_SIZE))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile("avatar.jpg", out.getvalue(), content_type="image/jpeg")


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    region = forms.ChoiceField(
        label=_("Region"), required=False, choices=[("", _("Any region"))] + Profile.Region.choices
    )
    relationship = forms.ChoiceField(
        label=_("Relates to co-production as"),
        required=False,
        choices=[("", _("Anyone"))] + Profile.Relationship.choices,
    )
    theme = forms.ChoiceField(label=_("Interested in"), required=False)

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("Any theme"))] + [(t.slug, t.name) for t in themes]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password, to confirm"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    remove_content = forms.BooleanField(
        label=_("Also remove everything I have written"),
        required=False,
        help_text=_("Otherwise your posts and comments stay, shown as written by “former member”."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("That password is not right."))
        return password
