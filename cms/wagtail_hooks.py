"""The site's Wagtail hooks: members-only pages explain themselves, and their documents stay members-only."""

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db.models import TextField
from django.db.models.functions import Cast
from wagtail import hooks
from wagtail.models import BaseViewRestriction, Page, ReferenceIndex, Revision
from wagtail.permission_policies.pages import PagePermissionPolicy
from wagtail.rich_text.pages import PageLinkHandler

from network.access import is_member, membership_required_response
from network.privacy import visible_pages

from .middleware import may_use_staff_rights
from .models import ExemplarReport


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
    """A document that pages use is served only to whom a live page using it is visible, or to whom may edit
    a page using it (so drafts and unpublished pages keep their files to their editors). Wagtail itself
    checks only the collection, whose rules still hold for a document no page uses.

    Reports are read from their own table, so a restriction holds the moment it is saved; links inside
    page bodies come from Wagtail's reference index, which a background task keeps up to date."""
    saved, drafted = _pages_using(document)
    if not saved and not drafted:
        return None
    if saved and visible_pages(Page.objects.filter(pk__in=saved).live(), request).exists():
        return None
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    editable = PagePermissionPolicy().instances_user_has_permission_for(user, "change")
    if may_use_staff_rights(request) and editable.filter(pk__in=saved | drafted).exists():
        return None
    return membership_required_response(request)


def _pages_using(document) -> tuple[set[int], set[int]]:
    """Ids of the pages whose saved content uses `document` (live or not), and of those whose pending draft
    does. A few queries, however many pages there are."""
    saved = set(ExemplarReport.objects.filter(document=document).values_list("page_id", flat=True))
    saved |= {
        int(ref.object_id)
        for ref in ReferenceIndex.get_references_to(document).select_related("base_content_type")
        if issubclass(ref.base_content_type.model_class() or object, Page)
    }
    return saved, _pages_drafting(document)


def _pages_drafting(document) -> set[int]:
    """Ids of the pages whose latest, unpublished revision uses `document`.

    Wagtail's reference index skips revisions, and a draft's reports and body live only there. The
    database narrows the drafts to those naming the document's number; Wagtail's own reference extractor
    (private, so tests/cms/test_document_privacy.py pins it) then reads each of those few as the page it
    would become."""
    target = (ReferenceIndex._get_base_content_type(document).pk, str(document.pk))
    drafts = (
        Revision.objects.page_revisions()
        .filter(pk__in=Page.objects.filter(has_unpublished_changes=True).values("latest_revision_id"))
        .annotate(text=Cast("content", TextField()))
        .filter(text__regex=rf"(^|[^0-9]){document.pk}([^0-9]|$)")
        .only("content_type_id", "object_id", "content")
    )
    pages = set()
    for draft in drafts:
        model = ContentType.objects.get_for_id(draft.content_type_id).model_class()
        if model is None:  # a page type since removed: its drafts can no longer be published
            continue
        page = model.from_serializable_data(draft.content, check_fks=False)
        if any(ref[:2] == target for ref in ReferenceIndex._extract_references_from_object(page)):
            pages.add(int(draft.object_id))
    return pages


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


@hooks.register("network_periodic_jobs")
def site_jobs():
    """Scheduled pages go live (and expire) on time."""
    from django.core.management import call_command

    return {"scheduled pages": lambda run: call_command("publish_scheduled", stdout=run.stdout, verbosity=0)}
