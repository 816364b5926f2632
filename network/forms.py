"""Validation of what people type into the network's forms."""

import io
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.validators import ProhibitNullCharactersValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from taggit.forms import TagField

from .models import Profile, Theme

MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
AVATAR_MAX_BYTES = 5 * 1024 * 1024
# Checked against what the file declares, before anything is decoded: a few KB of PNG can declare
# 6,300 x 6,300 pixels and cost a worker 200 MiB. PNG, WebP and GIF decode at full size, so they stop
# at 4,000 px a side and 12 megapixels (48 MB as RGBA). JPEGs decode at 1/2 to 1/8 scale (draft), so a
# phone's 4,032 x 3,024 or 8,160 x 6,120 photo stays well under the pixel cap after reduction.
AVATAR_MAX_SIDE = 4_000
AVATAR_MAX_JPEG_SIDE = 12_000
AVATAR_MAX_PIXELS = 12_000_000
AVATAR_SIZE = 400
AVATAR_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}  # MPO: how Pillow names many phone cameras' JPEGs
JPEG_FORMATS = {"JPEG", "MPO"}
MAX_LINKS = 5
MAX_INTERESTS = 20
MAX_INTEREST_LENGTH = 50


# The joiners are ordinary writing and neither move nor hide text: ZWNJ (U+200C) in Persian and Indic
# words, ZWJ (U+200D) in those scripts and in emoji such as 👩‍👩‍👧. Every other format character (Cf) is
# refused on one line: bidi controls reorder text, and zero-width spaces, soft hyphens, BOMs and tag
# characters hide it (a name that looks like someone else's, words a moderator cannot see).
ALLOWED_FORMAT_CHARACTERS = frozenset("\u200c\u200d")
# A subdivision flag (🏴 + lowercase tag letters + cancel tag, e.g. England's) is the one honest use of tag
# characters; it is removed before checking so the flag passes while loose tag characters do not.
FLAG_TAG_SEQUENCE = re.compile("\U0001f3f4[\U000e0030-\U000e0039\U000e0061-\U000e007a]{2,6}\U000e007f")
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
LINE_BREAKS = frozenset("\t\n\r")


def reject_markup(value: str) -> None:
    if value and MARKUP.search(value):
        raise ValidationError(_("Please remove the HTML tags (text between < and >); plain text works here."))


def reject_control_characters(value: str) -> None:
    """A one-line value refuses line breaks, tabs, every control character (Cc: NUL, CR, LF, NEL...),
    line and paragraph separators, and the format characters that reorder or hide text.

    Letters, marks and symbols of any script pass, so do emoji, their variation selectors and joiners.
    Unassigned code points pass too: newer emoji than this Python's Unicode tables are still emoji."""
    for char in FLAG_TAG_SEQUENCE.sub("", value or ""):
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp"} or (category == "Cf" and char not in ALLOWED_FORMAT_CHARACTERS):
            raise ValidationError(
                _("Please keep this to one line, without tabs or special control characters."),
                code="control_characters",
            )


def reject_hidden_controls(value: str) -> None:
    """Multi-line text keeps its line breaks and tabs but refuses other control characters (NUL among
    them) and bidi controls, which reorder what moderators read in an email."""
    for char in value or "":
        if char in BIDI_CONTROLS or (unicodedata.category(char) == "Cc" and char not in LINE_BREAKS):
            raise ValidationError(
                _("Please remove the special control characters (such as text-direction marks)."),
                code="control_characters",
            )


class NoMarkupMixin:
    """Every text field of the form refuses HTML tags and control characters with a clear message.

    A field shown as a single-line input gets the strict one-line check; a textarea the gentler one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField):
                one_line = not isinstance(field.widget, forms.Textarea)
                # our check refuses NUL too, with one message instead of two
                field.validators = [
                    v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
                ]
                field.validators += [
                    reject_markup,
                    reject_control_characters if one_line else reject_hidden_controls,
                ]


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


class InterestsField(TagField):
    """Interests separated by commas only: "peer support" is one interest, not two (taggit's own parsing
    splits on spaces when there is no comma)."""

    def clean(self, value):
        value = forms.CharField.clean(self, value)
        return list(dict.fromkeys(part.strip() for part in value.split(",") if part.strip()))


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
            "email_notifications",
        ]
        widgets = {
            "email_notifications": forms.RadioSelect,
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
        field_classes = {"avatar": forms.FileField, "interests": InterestsField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["relationship"].required = True
        self.fields["display_name"].required = True
        self.fields["email_notifications"].required = False  # left out, it stays as it was

    def clean_email_notifications(self) -> str:
        return self.cleaned_data.get("email_notifications") or self.instance.email_notifications

    def clean_links(self) -> str:
        lines = [line.strip() for line in self.cleaned_data["links"].splitlines() if line.strip()]
        if len(lines) > MAX_LINKS:
            raise ValidationError(_("Please give at most %(n)s links."), params={"n": MAX_LINKS})
        check = URLValidator(schemes=["http", "https"])
        for line in lines:
            reject_control_characters(line)  # each link is one line: nothing hidden inside it
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
            reject_control_characters(tag)
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
    """A profile photo: cropped square and shrunk to a small JPEG."""
    return reencoded_image(upload, (AVATAR_SIZE, AVATAR_SIZE), crop=True, name="avatar.jpg")


def reencoded_image(upload, size: tuple[int, int], *, crop: bool, name: str) -> SimpleUploadedFile:
    """Check an upload really is a reasonable image, then shrink it to fit `size` (cropped to fill it when
    `crop`) as a JPEG. Re-encoding drops whatever the file carried besides pixels (metadata, location,
    scripts)."""
    if upload.size > AVATAR_MAX_BYTES:
        raise ValidationError(_("That image is larger than 5 MB; please choose a smaller one."))
    try:
        upload.seek(0)
        image = Image.open(upload)  # reads the header only; nothing is decoded yet
        if image.format not in AVATAR_FORMATS:
            raise ValidationError(_("Please upload a JPEG, PNG, WebP or GIF image."))
        reject_oversized(image, size)
        image.load()  # GIF and WebP animations decode their first frame only
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise ValidationError(
            _("That file is not an image we can read; please upload a JPEG or PNG photo.")
        ) from None
    ImageOps.exif_transpose(image, in_place=True)  # no full-size copy
    if image.mode not in {"RGB", "RGBA", "L"}:  # palette and 1-bit images only resize smoothly as RGB
        image = image.convert("RGB")
    # shrinking before converting spares a full-size RGB copy of an RGBA or greyscale image
    if crop:
        image = ImageOps.fit(image, size)
    else:
        image.thumbnail(size)  # in place, keeping the proportions; never enlarges
    image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def reject_oversized(image: Image.Image, size: tuple[int, int] = (AVATAR_SIZE, AVATAR_SIZE)) -> None:
    """Refuse an opened, not yet decoded image whose declared size would cost a worker too much memory;
    a JPEG is first told to decode at the smallest scale that still leaves a sharp image of `size`."""
    width, height = image.size
    max_side = AVATAR_MAX_JPEG_SIDE if image.format in JPEG_FORMATS else AVATAR_MAX_SIDE
    if width > max_side or height > max_side:
        raise too_large(width, height)
    if image.format in JPEG_FORMATS:
        image.draft("RGB", (size[0] * 2, size[1] * 2))
    if image.width * image.height > AVATAR_MAX_PIXELS:  # the pixels that will really be decoded
        raise too_large(width, height)


def too_large(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "That image is too large (%(width)s × %(height)s pixels); please choose one of at most "
            "%(megapixels)s megapixels and %(side)s pixels a side."
        ),
        code="too_large",
        params={
            "width": f"{width:,}",
            "height": f"{height:,}",
            "megapixels": AVATAR_MAX_PIXELS // 1_000_000,
            "side": f"{AVATAR_MAX_SIDE:,}",
        },
    )


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
