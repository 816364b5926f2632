"""What members type into the forum: new threads and replies."""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from network.forms import reject_control_characters, reject_hidden_controls

from .models import Reply, Thread

MAX_REPLY = 10_000


class _Keyed(forms.ModelForm):
    """One row however many times a double click sends the form (MemberContent's submission key)."""

    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise ValidationError(_("Please write something first."))
        reject_hidden_controls(body)
        return body


class ThreadForm(_Keyed):
    class Meta:
        model = Thread
        fields = ["title", "body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 10, "data-mentions": reverse_lazy("network:forum:people")})
        }
        labels = {"title": _("Title"), "body": _("What you want to ask or share")}
        help_texts = {
            "title": _("A question or a short summary, so others know what the thread is about."),
            "body": _("Markdown is allowed. Mention a member with @ and their handle, e.g. @amara."),
        }
        error_messages = {
            "title": {"required": _("Please give the thread a title.")},
            "body": {"required": _("Please write what the thread is about.")},
        }

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        reject_control_characters(title)
        if not title:
            raise ValidationError(_("Please give the thread a title."))
        return title


class ReplyForm(_Keyed):
    # what the reply quotes: "opening" (the thread's first post) or an earlier reply's key
    quote = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)

    class Meta:
        model = Reply
        fields = ["body"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 6, "data-mentions": reverse_lazy("network:forum:people")})
        }
        labels = {"body": _("Your reply")}
        help_texts = {"body": _("Markdown is allowed. Mention a member with @ and their handle.")}
        error_messages = {"body": {"required": _("Please write your reply first.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = MAX_REPLY
        self.fields["body"].widget.attrs["maxlength"] = str(MAX_REPLY)

    def clean_body(self) -> str:
        body = super().clean_body()
        if len(body) > MAX_REPLY:
            raise ValidationError(_("Please keep a reply under 10,000 characters."))
        return body
