"""The network's pages for people: applying, the directory, profiles, and your own data."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import fragments, hooks, services
from ..access import member_required, profile_of
from ..forms import ApplicationForm, DeleteAccountForm, DirectoryFilterForm, ProfileForm
from ..models import Profile, Theme
from ..privacy import audience

DIRECTORY_PAGE_SIZE = 24


@member_required
def network_home(request: HttpRequest) -> HttpResponse:
    """The members' landing page."""
    return render(request, "network/network_home.html", {"profile": profile_of(request.user)})


@login_required
def apply(request: HttpRequest) -> HttpResponse:
    profile = services.get_or_create_profile(request.user)
    if profile.status != Profile.Status.NEW:
        return redirect("network:membership_status")
    form = ApplicationForm(request.POST or None, initial={"display_name": profile.display_name})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            profile = services.apply_for_membership(
                user=request.user,
                display_name=data["display_name"],
                organisation=data["organisation"],
                relationship=data["relationship"],
                region=data["region"],
                reason=data["reason"],
            )
        except services.AddressNotVerified:
            messages.error(request, _("Please confirm your email address first: we have sent you a link."))
            return redirect("account_email")
        except services.MembershipError:  # a second submit that lost the race: the first one counts
            return redirect("network:membership_status")
        if profile.is_member:
            messages.success(request, _("Welcome: you are now a member of the network."))
            return redirect("network:home")
        messages.success(request, _("Thank you: your application is with the moderators."))
        return redirect("network:membership_status")
    return render(request, "network/apply.html", {"form": form})


@login_required
def membership_status(request: HttpRequest) -> HttpResponse:
    profile = services.get_or_create_profile(request.user)
    return render(request, "network/membership_status.html", {"profile": profile})


DIRECTORY_PARAMS = ("q", "region", "relationship", "theme", "page")


@member_required
def member_list(request: HttpRequest) -> HttpResponse:
    """The directory. Its cards, filters and counts are the same for every member (cards show only what a
    member chose to show all members), so they are rendered once per filter and page until a profile
    changes (network.fragments)."""
    directory = fragments.fragment(
        "directory",
        depends_on=["members"],
        audience="members",  # member_required: nobody else reaches this
        vary=[request.GET.get(name, "")[:200] for name in DIRECTORY_PARAMS],
        build=lambda: _render_directory(request),
    )
    return render(request, "network/member_list.html", directory)


def _render_directory(request: HttpRequest) -> dict:
    themes = list(Theme.objects.all())
    form = DirectoryFilterForm(request.GET or None, themes=themes)
    members, filtered = Profile.objects.members(), False
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            members = members.search(data["q"])
        if data["region"]:
            members = members.in_region(data["region"])
        if data["relationship"]:
            members = members.relating_as(data["relationship"])
        if data["theme"]:
            members = members.interested_in(data["theme"])
        filtered = any(data.values())
    paginator = Paginator(members.for_listing().order_by("display_name", "pk"), DIRECTORY_PAGE_SIZE)
    if not filtered:
        paginator.count = services.member_count()
    page = paginator.get_page(request.GET.get("page"))
    # the filters only, never whatever else the address carried: this rendering is every member's
    query = urlencode([(name, request.GET[name]) for name in DIRECTORY_PARAMS[:-1] if request.GET.get(name)])
    html = render_to_string(
        "network/includes/_directory.html", {"form": form, "page": page, "query": query}, request
    )
    return {"directory": mark_safe(html), "page_number": page.number}  # noqa: S308 - our own template's output


@member_required
def profile_detail(request: HttpRequest, handle: str) -> HttpResponse:
    profile = _visible_profile(request, handle)
    is_own = profile.user_id == request.user.pk

    def build() -> str:
        context = {
            "profile": profile,
            "is_own": is_own,
            "activity": hooks.profile_activity(profile, request.user),
            "shows": {field: profile.shows(field, request.user) for field in _VISIBLE_FIELDS},
        }
        return mark_safe(render_to_string("network/includes/_profile.html", context))  # noqa: S308 - ours

    # Every member sees the same fields of someone else's profile and the same activity (the owner sees
    # all of theirs): rendered once per profile and audience until a member or an activity source changes.
    depends_on = hooks.profile_activity_depends_on()
    html = (
        build()
        if depends_on is None
        else fragments.fragment(
            "profile",
            depends_on=["members", *depends_on],
            # and the pages the viewer may see: an activity can be about a page (a visit to an exemplar)
            audience=("owner" if is_own else "members", audience(request)),
            vary=profile.pk,
            build=build,
        )
    )
    return render(request, "network/profile_detail.html", {"profile": profile, "profile_html": html})


_VISIBLE_FIELDS = [
    "pronouns",
    "relationship",
    "organisation",
    "job_title",
    "region",
    "bio",
    "links",
    "interests",
]


@member_required
def profile_avatar(request: HttpRequest, handle: str, key: str) -> HttpResponse:
    """Avatars are members-only like the profiles they belong to, so they never sit at a public URL."""
    profile = _visible_profile(request, handle)
    if not profile.avatar or not profile.avatar.name.endswith(f"/{key}.jpg"):
        raise Http404
    response = FileResponse(profile.avatar.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400, immutable"
    return response


@member_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    profile = services.get_or_create_profile(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            with transaction.atomic():
                form.save()
                services.prune_interests()
            messages.success(request, _("Your profile is saved."))
            return redirect(profile)
        messages.error(request, _("Please correct the problems below; nothing was saved yet."))
    return render(request, "network/profile_edit.html", {"form": form, "profile": profile})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(user=request.user)
    return render(request, "network/my_data.html", {"delete_form": form, "profile": profile_of(request.user)})


@login_required
@require_POST
def my_data_download(request: HttpRequest) -> HttpResponse:
    data = services.export_member_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="coproduce-my-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(
            request,
            "network/my_data.html",
            {"delete_form": form, "profile": profile_of(request.user)},
            status=400,
        )
    user = request.user
    logout(request)
    services.delete_account(user=user, remove_content=form.cleaned_data["remove_content"])
    messages.success(request, _("Your account has been deleted. Thank you for taking part."))
    return redirect("/")


def _visible_profile(request: HttpRequest, handle: str) -> Profile:
    """Members see members; everyone sees their own profile; nobody sees applicants or suspended people."""
    profile = get_object_or_404(Profile.objects.select_related("user"), handle=handle)
    if profile.user_id != request.user.pk and not (profile.is_member and profile.user.is_active):
        raise Http404
    return profile
