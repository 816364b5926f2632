"""An exemplar page is rendered once per audience and kept (network.fragments): what it shows must still follow
every change at once, and what one audience may see must never reach another."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.models import Document

from tests.factories import EditorFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def time_bank(make_exemplar):
    page = make_exemplar("Open time bank", summary="Neighbours trade hours of help.")
    members_only = make_exemplar("Closed pilot", summary="Early findings.", members_only=True)
    page.related.create(related=members_only, sort_order=0)
    page.save_revision().publish()
    return page


def test_a_members_only_related_exemplar_shown_to_a_member_never_reaches_a_visitor(client, time_bank):
    client.force_login(MemberFactory())
    assert "Closed pilot" in client.get(time_bank.url).content.decode()  # members' rendering, now kept

    client.logout()
    html = client.get(time_bank.url).content.decode()

    assert "Open time bank" in html and "Closed pilot" not in html


def test_a_published_change_shows_at_once(client, time_bank):
    assert "Neighbours trade hours of help." in client.get(time_bank.url).content.decode()

    time_bank.summary = "Neighbours swap hours, recorded in a shared ledger."
    time_bank.save_revision().publish()

    html = client.get(time_bank.url).content.decode()
    assert "shared ledger" in html and "Neighbours trade hours" not in html


def test_a_retitled_report_shows_its_new_title(client, time_bank):
    document = Document.objects.create(title="Annual report", file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 x"))
    time_bank.reports.create(document=document, sort_order=0)
    time_bank.save_revision().publish()
    assert "Annual report" in client.get(time_bank.url).content.decode()

    document.title = "Evaluation, year one"
    document.save()

    assert "Evaluation, year one" in client.get(time_bank.url).content.decode()


def test_social_tags_are_for_public_pages_only(client, time_bank, make_exemplar):
    assert 'property="og:title" content="Open time bank"' in client.get(time_bank.url).content.decode()

    client.force_login(MemberFactory())
    closed = client.get("/exemplars/closed-pilot/").content.decode()

    assert "og:title" not in closed and '<meta name="robots" content="noindex">' in closed


def test_a_previewed_draft_is_never_kept_for_readers(client, make_exemplar):
    page = make_exemplar("Wellbeing cafe", summary="What the public reads")
    page.summary = "Draft wording under review"
    page.save_revision()
    editor = EditorFactory()
    client.force_login(editor)
    assert "Draft wording" in client.get(f"/admin/pages/{page.pk}/view_draft/").content.decode()

    # read the live page as the preview was made: the same person, at the site's own address
    html = client.get(page.url, HTTP_HOST=page.get_site().hostname).content.decode()

    assert "What the public reads" in html and "Draft wording" not in html
