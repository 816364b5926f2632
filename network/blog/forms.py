"""What members type into the blog: posts (with an optional image) and comments."""

import uuid

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField, TagWidget

from network.forms import reencoded_image, reject_control_characters, reject_hidden_controls

from .models import Category, Comment, Post

IMAGE_SIZE = (1600, 1600)
MAX_TAGS = 10
MAX_TAG_LENGTH = 50
PENDING_SALT = "network.blog.pending-image"
PENDING_DIR = "blog/pending/"
PENDING_MAX_AGE = 24 * 60 * 60  # a preview's image is kept this long; the periodic job deletes older ones


class PostForm(forms.ModelForm):
    """A post. "Preview" keeps a newly chosen image: it is checked, stored aside and carried in a signed
    field, so nothing the member gave is lost between the preview and publishing."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    pending_image = forms.CharField(widget=forms.HiddenInput, required=False)
    remove_image = forms.BooleanField(label=_("Remove the image"), required=False)
    tags = TagField(
        label=_("Tags"),
        required=False,
        widget=TagWidget(),
        help_text=_("Comma-separated, e.g. time banking, peer support"),
    )

    class Meta:
        model = Post
        fields = ["title", "body", "image", "image_alt", "categories", "tags", "visibility"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "categories": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "image": forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
        }
        help_texts = {
            "body": _("Markdown: *italic*, **bold**, [a link](https://example.org), lists with - or 1."),
            "image": _("Optional. A JPEG, PNG, WebP or GIF up to 5 MB."),
        }
        field_classes = {"image": forms.FileField}  # our own checks give clearer messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = Category.objects.all()
        self.fields["categories"].required = False
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()
        if not self.instance.image:
            del self.fields["remove_image"]

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        reject_control_characters(title)
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        reject_hidden_controls(body)
        return body

    def clean_image_alt(self) -> str:
        alt = self.cleaned_data["image_alt"].strip()
        reject_control_characters(alt)
        return alt

    def clean_tags(self) -> list[str]:
        tags = self.cleaned_data["tags"]
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Please use at most %(n)s tags."), params={"n": MAX_TAGS})
        for tag in tags:
            if len(tag) > MAX_TAG_LENGTH:
                raise ValidationError(
                    _("Keep each tag under %(n)s characters: “%(tag)s…” is longer."),
                    params={"n": MAX_TAG_LENGTH, "tag": tag[:30]},
                )
            reject_control_characters(tag)
            if not any(character.isalnum() for character in tag):
                raise ValidationError(_("Each tag needs at least one letter or number."))
        return tags

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload or upload == self.instance.image:
            return upload
        return reencoded_image(upload, IMAGE_SIZE, crop=False, name="post.jpg")

    def clean_pending_image(self) -> str:
        token = self.cleaned_data.get("pending_image")
        if not token:
            return ""
        try:
            return signing.loads(token, salt=self._pending_salt(), max_age=PENDING_MAX_AGE)
        except signing.BadSignature:
            return ""  # stale or forged: as if no image had been chosen

    def clean(self):
        data = super().clean()
        new_image = self.files.get("image") and data.get("image")
        has_image = (new_image or data.get("pending_image") or self.instance.image) and not data.get(
            "remove_image"
        )
        if has_image and not data.get("image_alt"):
            self.add_error(
                "image_alt", _("Describe the image for people who cannot see it, or remove the image.")
            )
        return data

    def keep_image_for_preview(self) -> None:
        """Store a newly chosen, checked image aside so the preview page can carry it on."""
        image = self.cleaned_data.get("image")
        if self.files.get("image") and image:
            name = Post.image.field.storage.save(f"{PENDING_DIR}{uuid.uuid4().hex}.jpg", image)
            self.data = self.data.copy()
            self.data["pending_image"] = signing.dumps(name, salt=self._pending_salt())
            self.cleaned_data["pending_image"] = name

    def pending_image_token(self) -> str:
        name = self.cleaned_data.get("pending_image") if hasattr(self, "cleaned_data") else ""
        return signing.dumps(name, salt=self._pending_salt()) if name else ""

    def _pending_salt(self) -> str:
        """Bound to the writer: a token that escaped (a shared screen, a log) is no use to anyone else."""
        return f"{PENDING_SALT}:{self.instance.author_id}"


class CommentForm(forms.ModelForm):
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        labels = {"body": _("Your comment")}
        help_texts = {"body": _("Markdown is allowed. Be kind: members come from many walks of life.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = 5000
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if len(body) > 5000:
            raise ValidationError(_("Please keep a comment under 5,000 characters."))
        reject_hidden_controls(body)
        return body


class BlogFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("Category"), required=False)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=100)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Any category"))] + [(c.slug, c.name) for c in categories]
