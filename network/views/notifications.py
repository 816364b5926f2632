"""Watching a post or thread, and the one-click unsubscribe link in every notification email."""

from django.http import Http404


def watch(request, content_type_id: int, object_id: int):
    raise Http404  # being written


def unsubscribe(request, token: str):
    raise Http404  # being written
