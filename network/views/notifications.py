"""Watching a post or thread, and the one-click unsubscribe link in every notification email."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from ..access import member_required
from ..models import find_member_content
from ..services import notifications


@require_POST
@member_required
def watch(request: HttpRequest, content_type_id: int, object_id: int) -> HttpResponse:
    """Start or stop watching (the button under a post or thread)."""
    target = find_member_content(content_type_id, object_id, request.user)
    if target is None or target.watch_target != target:
        raise Http404
    if request.POST.get("watch") == "on":
        notifications.watch(request.user, target)
        messages.success(request, _("You are watching this: you will hear of new comments."))
    else:
        notifications.unwatch(request.user, target)
        messages.success(request, _("You stopped watching this."))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = target.get_absolute_url()
    return redirect(back)


@csrf_exempt  # mail programs POST here in one click (RFC 8058), with no cookie; the signed token is the key
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners in mail systems follow links; they must not unsubscribe anyone); POST stops
    the emails, signed in or not."""
    subscription = notifications.subscription_for_token(token)
    if subscription is None:
        return render(request, "network/unsubscribe.html", {"invalid": True}, status=404)
    done = False
    if request.method == "POST":
        notifications.unsubscribe(subscription, everything=request.POST.get("everything") == "on")
        done = True
    target = subscription.target
    # the title only to someone who may still read it (the link may outlive their membership)
    title = target.content_title if target is not None and target.is_visible_to(subscription.user) else ""
    response = render(
        request,
        "network/unsubscribe.html",
        {
            "done": done,
            "everything": request.POST.get("everything") == "on",
            "title": title,
            "token": token,
            "action": reverse("network:unsubscribe", kwargs={"token": token}),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"  # the token must not leak to links on the page
    return response


@csrf_exempt  # as unsubscribe: mail programs POST here in one click, with no cookie
@require_http_methods(["GET", "POST"])
def stop_digest(request: HttpRequest, token: str) -> HttpResponse:
    """The daily email's own link: GET asks, POST stops it (and every other notification email)."""
    user = notifications.user_for_digest_token(token)
    if user is None:
        return render(request, "network/unsubscribe.html", {"invalid": True}, status=404)
    done = request.method == "POST"
    if done:
        notifications.stop_digest(user)
    response = render(
        request,
        "network/unsubscribe.html",
        {
            "done": done,
            "everything": done,
            "digest": True,
            "title": _("the daily email about what you watch"),
            "action": reverse("network:stop_digest", kwargs={"token": token}),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
