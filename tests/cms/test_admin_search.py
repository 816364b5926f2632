"""Staff searches in the admin answer whatever is typed into them, and still find things by their words."""

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents.models import Document
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Not, Phrase, PlainText

from cms.models import SiteImage
from cms.search_backend import clean_query
from tests.factories import EditorFactory, UserFactory

pytestmark = pytest.mark.django_db

LISTINGS = [
    "/admin/documents/",
    "/admin/documents/results/",
    "/admin/documents/chooser/",
    "/admin/documents/chooser/results/",
    "/admin/images/",
    "/admin/images/results/",
    "/admin/images/chooser/",
    "/admin/images/chooser/results/",
    "/admin/pages/",
    "/admin/pages/search/",
    "/admin/choose-page/search/",
    "/admin/snippets/cms/sector/",
    "/admin/snippets/choose/cms/sector/",
    "/admin/users/",
    "/admin/network_profiles/",
    "/admin/redirects/",
]
BAD_QUERIES = [
    '"',
    '"board',
    'board"',
    '("',
    "(",
    ")",
    "x\x00y",
    "AND",
    "OR",
    "NOT",
    "NOT board",
    "-",
    "*",
    "\u2028",
]


@pytest.fixture
def library(home_page):
    """A document, an image and a page for the searches to find."""
    out = io.BytesIO()
    Image.new("RGB", (10, 10), "teal").save(out, "PNG")
    SiteImage.objects.create(title="Board picture", file=SimpleUploadedFile("board.png", out.getvalue()))
    return Document.objects.create(
        title="Board minutes", file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x")
    )


@pytest.fixture
def superuser():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("query", BAD_QUERIES)
def test_every_admin_search_answers_an_odd_query(client, library, superuser, query):
    client.force_login(superuser)

    failed = {url: client.get(url, {"q": query}).status_code for url in LISTINGS}

    assert {url: status for url, status in failed.items() if status != HTTPStatus.OK} == {}


@pytest.mark.parametrize("query", ['"', '"board', "board\x00", '"board"', "(board"])
def test_an_editor_searching_documents_and_images_still_finds_them_by_a_word(client, library, query):
    client.force_login(EditorFactory())

    documents = client.get("/admin/documents/", {"q": f"{query} minutes"})
    images = client.get("/admin/images/chooser/results/", {"q": f"{query} picture"})

    assert documents.status_code == images.status_code == HTTPStatus.OK
    assert "Board minutes" in documents.content.decode()
    assert "Board picture" in images.content.decode()


@pytest.mark.parametrize("query", ['"', 'board"', "\x00", "\u2028", '"board minutes"'])
def test_the_search_backend_itself_takes_any_string(library, query):
    backend = get_search_backend()

    assert len(backend.search(query, Document)) <= 1
    assert len(backend.autocomplete(query, Document)) <= 1
    assert list(backend.search(f"{query} minutes", Document)) == [library]


def test_parsed_queries_are_cleaned_throughout():
    query = And([PlainText('a"b'), Phrase('"'), Not(PlainText("c\x00"))])

    cleaned = clean_query(query)

    assert [type(q) for q in cleaned.subqueries] == [PlainText, Not]
    assert cleaned.subqueries[0].query_string == "a b"
    assert cleaned.subqueries[1].subquery.query_string == "c"
    assert clean_query(Phrase('"')) == ""
