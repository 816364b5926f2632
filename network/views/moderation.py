"""Reporting what a member wrote (the member-facing side of moderation; the queue is in the Wagtail admin)."""

from django.http import Http404


def report(request, content_type_id: int, object_id: int):
    raise Http404  # being written
