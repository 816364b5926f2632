"""The site's Wagtail hooks: members-only pages explain themselves, and their documents stay members-only."""

from django.contrib.auth.views import redirect_to_login
from wagtail import hooks
from wagtail.models import BaseViewRestriction, Page, ReferenceIndex
from wagtail.rich_text.pages import PageLinkHandler

from network.access import is_member, membership_required_response

from .models import ExemplarReport
from .privacy import visible_pages


@hooks.register("before_serve_page")
def explain_members_only_pages(page, request, serve_args, serve_kwargs):
    """A signed-in person who may not see a group-restricted page learns why, instead of being asked to sign
    in again (Wagtail's default). Visitors still go to the sign-in page."""
    if not request.user.is_authenticated:
        return None
    for restriction in page.get_view_restrictions():
        kind = restriction.restriction_type
        # Sign-up is open, so "signed-in users" means members here, as in every listing; and group rights
        # count only while the person's membership is active.
        if kind in (BaseViewRestriction.GROUPS, BaseViewRestriction.LOGIN) and not (
            is_member(request.user) and restriction.accept_request(request)
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
    pages = Page.objects.filter(pk__in=page_ids).live()
    if not pages.exists():
        return None  # used only in drafts: the collection's own rules apply
    if visible_pages(pages, request).exists():
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return membership_required_response(request)


class PublicPageLinkHandler(PageLinkHandler):
    """Rich text is rendered without knowing who reads it, so a link to a restricted or unpublished page
    keeps its words but loses its address: the address would name the page to everyone."""

    @classmethod
    def get_many(cls, attrs_list):
        pages = super().get_many(attrs_list)
        shown = set(
            Page.objects.filter(pk__in=[p.pk for p in pages if p])
            .live()
            .public()
            .values_list("pk", flat=True)
        )
        return [page if page is not None and page.pk in shown else None for page in pages]


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own, so this one wins
def register_public_page_links(features):
    features.register_link_type(PublicPageLinkHandler)
