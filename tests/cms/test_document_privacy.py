"""A document follows the pages that use it: drafts and unpublished pages keep their files to their editors."""

from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents.models import Document
from wagtail.rich_text import RichText

from cms.models import ExemplarPage
from network import roles
from network.models import Profile
from tests.cms.conftest import restrict_to_members
from tests.factories import EditorFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def files_on_disk(settings, tmp_path):
    """Wagtail streams documents from a real file path, which in-memory storage cannot give."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


@pytest.fixture
def document() -> Document:
    return Document.objects.create(
        title="Board minutes", file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x")
    )


@pytest.fixture
def make_draft(catalogue):
    """An exemplar saved as a draft and never published, as the admin's "Save draft" leaves it."""

    def make(title, *, members_only=False) -> ExemplarPage:
        page = catalogue.add_child(
            instance=ExemplarPage(title=title, summary="s", organisation="o", region="london", live=False)
        )
        if members_only:
            restrict_to_members(page)
        page.save_revision()
        return page

    return make


def statuses(client, document) -> dict[str, HTTPStatus]:
    """What a visitor, a member, an editor and a signed-in non-member each get for `document`."""
    seen = {"visitor": client.get(document.url).status_code}
    for name, user in [
        ("member", MemberFactory()),
        ("editor", EditorFactory()),
        ("applicant", UserFactory(profile=Profile.Status.APPLICANT)),
    ]:
        client.force_login(user)
        seen[name] = client.get(document.url).status_code
    client.logout()
    return seen


ONLY_EDITORS = {
    "visitor": HTTPStatus.FOUND,
    "member": HTTPStatus.FORBIDDEN,
    "editor": HTTPStatus.OK,
    "applicant": HTTPStatus.FORBIDDEN,
}
MEMBERS = {**ONLY_EDITORS, "member": HTTPStatus.OK}
EVERYONE = dict.fromkeys(ONLY_EDITORS, HTTPStatus.OK)


@pytest.mark.parametrize("members_only", [False, True])
def test_a_never_published_exemplars_report_is_for_its_editors_only(
    client, make_draft, document, members_only
):
    page = make_draft("Pilot in planning", members_only=members_only)
    page.reports.create(document=document, sort_order=0)
    page.save()  # as the admin's create view writes the first draft's reports

    assert statuses(client, document) == ONLY_EDITORS
    response = client.get(document.url)
    assert "login" in response["Location"]


def test_a_report_added_only_in_a_draft_is_for_its_editors_only(client, make_draft, document):
    page = make_draft("Pilot in planning")
    page.reports.add(page.reports.model(document=document, sort_order=0))
    page.save_revision()  # the report lives only in the revision, not in the reports table

    assert not page.reports.model.objects.filter(document=document).exists()
    assert statuses(client, document) == ONLY_EDITORS


@pytest.mark.parametrize("members_only", [False, True])
def test_an_unpublished_exemplars_report_is_for_its_editors_only(
    client, make_exemplar, document, members_only
):
    page = make_exemplar("Finished pilot", members_only=members_only)
    page.reports.create(document=document, sort_order=0)
    page.save_revision().publish()
    assert statuses(client, document) == (MEMBERS if members_only else EVERYONE)

    page.unpublish()

    assert statuses(client, document) == ONLY_EDITORS


def test_a_document_linked_only_in_a_drafts_text_is_for_its_editors_only(client, make_draft, document):
    page = make_draft("Pilot in planning")
    page.body = [("paragraph", RichText(f'<p><a linktype="document" id="{document.pk}">minutes</a></p>'))]
    page.save_revision()

    assert statuses(client, document) == ONLY_EDITORS


def test_a_document_added_to_the_draft_of_a_public_page_waits_for_publication(
    client, make_exemplar, document
):
    page = make_exemplar("Open time bank")
    page.body = [("document", {"document": document, "title": "Minutes"})]
    page.save_revision()

    assert statuses(client, document) == ONLY_EDITORS

    page.get_latest_revision().publish()

    assert statuses(client, document) == EVERYONE


def test_a_live_members_only_pages_document_stays_with_members(client, make_exemplar, document):
    page = make_exemplar("Quiet page", members_only=True)
    page.reports.create(document=document, sort_order=0)
    page.save()

    assert statuses(client, document) == MEMBERS


def test_a_document_on_a_public_page_and_on_a_draft_is_public(client, make_exemplar, make_draft, document):
    make_exemplar("Open time bank").reports.create(document=document, sort_order=0)
    make_draft("Pilot in planning").reports.create(document=document, sort_order=0)

    assert statuses(client, document) == EVERYONE


def test_a_document_no_page_uses_keeps_its_collections_rules(client, document):
    assert statuses(client, document) == EVERYONE


def test_a_draft_naming_another_documents_number_does_not_hide_this_one(client, make_draft, document):
    other = Document.objects.create(title="Other", file=SimpleUploadedFile("other.pdf", b"%PDF-1.4 y"))
    page = make_draft("Pilot in planning")
    page.summary = f"Page {document.pk} of our notes"  # the number, but not a use of the document
    page.reports.add(page.reports.model(document=other, sort_order=0))
    page.save_revision()

    assert statuses(client, document) == EVERYONE
    assert statuses(client, other) == ONLY_EDITORS


def test_the_check_costs_the_same_few_queries_however_many_pages_use_it(
    client, make_exemplar, make_draft, document
):
    def use_it_on_three_more_pages(n):
        make_exemplar(f"Hidden {n}", members_only=True).reports.create(document=document, sort_order=0)
        make_draft(f"Saved draft {n}").reports.create(document=document, sort_order=0)
        draft = make_draft(f"Draft {n}")
        draft.reports.add(draft.reports.model(document=document, sort_order=0))
        draft.save_revision()

    def queries_to_serve_it():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(document.url).status_code == HTTPStatus.OK
        return len(queries)

    client.force_login(EditorFactory(groups=[roles.EDITORS]))  # outside Members: fails them all, may edit
    use_it_on_three_more_pages(0)
    queries_to_serve_it()  # warms the content type cache
    few = queries_to_serve_it()
    for n in range(1, 8):
        use_it_on_three_more_pages(n)

    assert queries_to_serve_it() == few


def test_a_members_only_pages_document_is_closed_at_once_without_waiting_for_the_worker(
    client, make_exemplar, document
):
    """Wagtail updates its reference index from a queued task; publishing indexes the page at once, so a
    document newly linked from a members-only page is never public while the task waits."""
    from unittest import mock

    page = make_exemplar("Quiet", members_only=True)
    with mock.patch("wagtail.signal_handlers.update_reference_index_task"):  # the worker has not run yet
        page.body = [("paragraph", RichText(f'<p><a linktype="document" id="{document.pk}">minutes</a></p>'))]
        page.save_revision().publish()

    assert client.get(document.url).status_code == HTTPStatus.FOUND  # to sign in


def test_staff_rights_to_draft_documents_need_the_second_factor_and_an_active_membership(
    client, make_draft, document, settings
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    draft = make_draft("Draft")
    draft.reports.add(draft.reports.model(document=document, sort_order=0))
    draft.save_revision()
    client.force_login(EditorFactory())
    assert client.get(document.url).status_code == HTTPStatus.OK  # an editor in good standing reads it
    suspended = EditorFactory(profile=Profile.Status.SUSPENDED)
    client.force_login(suspended)
    assert client.get(document.url).status_code == HTTPStatus.FORBIDDEN

    settings.STAFF_MFA_REQUIRED = True
    editor = EditorFactory()
    TOTP.activate(editor, generate_totp_secret())
    client.force_login(editor)  # a session that never gave the code, as a stolen password would make
    assert client.get(document.url).status_code == HTTPStatus.FORBIDDEN
