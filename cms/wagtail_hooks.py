"""The site's Wagtail hooks: members-only pages explain themselves, and their documents stay members-only."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.models import BaseViewRestriction, Page, ReferenceIndex

from network.access import membership_required_response

from .models import ExemplarReport
from .privacy import visible_pages


@hooks.register("before_serve_page")
def explain_members_only_pages(page, request, serve_args, serve_kwargs):
    """A signed-in person who may not see a group-restricted page learns why, instead of being asked to sign
    in again (Wagtail's default). Visitors still go to the sign-in page."""
    if not request.user.is_authenticated:
        return None
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == BaseViewRestriction.GROUPS and not restriction.accept_request(
            request
        ):
            return membership_required_response(request)
    return None


@hooks.register("before_serve_document")
def documents_follow_the_pages_that_use_them(document, request):
    """A document used only on pages this request may not see is not served to it either, whatever its
    collection says (Wagtail checks only the collection).

    Reports are read from their own table, so a restriction holds the moment it is saved; links inside
    page bodies come from Wagtail's reference index, which a background task keeps up to date."""
    page_ids = set(ExemplarReport.objects.filter(document=document).values_list("page_id", flat=True))
    page_ids |= {
        int(ref.object_id)
        for ref in ReferenceIndex.get_references_to(document).select_related("base_content_type")
        if issubclass(ref.base_content_type.model_class() or object, Page)
    }
    if not page_ids:
        return None
    pages = Page.objects.filter(pk__in=page_ids)
    if visible_pages(pages, request).exists():
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return membership_required_response(request)
