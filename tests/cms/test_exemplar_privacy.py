"""A members-only exemplar never reaches a visitor: every route a title, count or file could leak by."""

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.documents.models import Document

from cms.models import HomePageFeatured, SiteImage
from network.models import Profile
from tests.factories import MemberFactory, UserFactory

pytestmark = pytest.mark.django_db
SECRET = "Confidential pilot"


@pytest.fixture
def secret(make_exemplar):
    public = make_exemplar("Open time bank", themes=["community-capacity"], sector_slugs=["health"])
    hidden = make_exemplar(
        SECRET,
        themes=["diverse-providers"],
        sector_slugs=["housing"],
        region="wales",
        members_only=True,
        summary="Hush hush summary",
    )
    public.related.create(related=hidden, sort_order=0)
    public.save()
    return hidden


def _image() -> SiteImage:
    out = io.BytesIO()
    Image.new("RGB", (1300, 700), "teal").save(out, "PNG")
    return SiteImage.objects.create(title="hero", file=SimpleUploadedFile("hero.png", out.getvalue()))


def assert_no_secret(response):
    html = response.content.decode()
    assert SECRET not in html and "Hush hush" not in html and "confidential-pilot" not in html


def test_the_listing_and_its_counts_hide_it_from_visitors(client, secret):
    response = client.get("/exemplars/")

    assert_no_secret(response)
    assert response.context["page_obj"].paginator.count == 1
    html = response.content.decode()
    assert "Housing" not in html and "Wales" not in html  # its facet options would reveal it by their count
    assert client.get("/exemplars/", {"region": "wales"}).context["page_obj"].paginator.count == 0


def test_members_see_it_in_the_listing(client, secret):
    client.force_login(MemberFactory())

    assert SECRET in client.get("/exemplars/").content.decode()
    assert client.get(secret.url).status_code == HTTPStatus.OK


@pytest.mark.parametrize(
    "status", [Profile.Status.APPLICANT, Profile.Status.SUSPENDED, Profile.Status.DECLINED]
)
def test_signed_in_non_members_see_neither_the_listing_entry_nor_the_page(client, secret, status):
    client.force_login(UserFactory(profile=status))

    assert_no_secret(client.get("/exemplars/"))
    response = client.get(secret.url)
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert_no_secret(response)


def test_the_page_itself_sends_visitors_to_sign_in(client, secret):
    response = client.get(secret.url)

    assert response.status_code == HTTPStatus.FOUND
    assert "login" in response["Location"]


def test_the_feed_the_sitemap_and_search_leave_it_out(client, secret):
    for url in ["/exemplars/feed/", "/sitemap.xml", "/search/?q=Confidential", "/exemplars/?q=Confidential"]:
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url
        assert_no_secret(response)
    client.force_login(MemberFactory())
    assert SECRET not in client.get("/exemplars/feed/").content.decode()  # feeds are read anonymously


def test_related_blocks_and_the_home_page_leave_it_out(client, secret, home_page):
    HomePageFeatured.objects.create(home=home_page, page=secret, sort_order=0)

    assert_no_secret(client.get("/exemplars/open-time-bank/"))
    assert_no_secret(client.get("/"))


@pytest.fixture
def files_on_disk(settings, tmp_path):
    """Wagtail streams documents from a real file path, which in-memory storage cannot give."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }


def test_its_report_cannot_be_downloaded_by_a_visitor_or_a_non_member(client, secret, files_on_disk):
    document = Document.objects.create(
        title="Secret report", file=SimpleUploadedFile("secret-report.pdf", b"%PDF-1.4 x")
    )
    secret.reports.create(document=document, sort_order=0)
    secret.save()

    assert client.get(document.url).status_code == HTTPStatus.FOUND
    client.force_login(UserFactory(profile=Profile.Status.APPLICANT))
    assert client.get(document.url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(MemberFactory())
    served = client.get(document.url)
    assert served.status_code == HTTPStatus.OK and "private" in served["Cache-Control"]


def test_its_pictures_have_unguessable_addresses_and_no_sharing_tags(client, secret):
    secret.hero_image = _image()
    secret.save()
    client.force_login(MemberFactory())

    html = client.get(secret.url).content.decode()

    assert 'property="og:' not in html and 'name="robots" content="noindex"' in html
    file_name = secret.hero_image.file.name.rsplit("/", 1)[-1]
    assert file_name.endswith("-hero.png") and len(file_name) - len("-hero.png") >= 16  # a random token


def test_a_public_exemplar_carries_open_graph_tags(client, make_exemplar):
    page = make_exemplar("Shared widely", summary="Worth sharing")
    page.hero_image = _image()
    page.hero_alt = "A group meeting"
    page.save()

    html = client.get(page.url).content.decode()

    assert '<meta property="og:title" content="Shared widely">' in html
    assert '<meta property="og:description" content="Worth sharing">' in html
    assert 'property="og:image" content="http://testserver/' in html
    assert 'name="twitter:card" content="summary_large_image"' in html


def test_a_contact_route_may_not_publish_an_email_address(make_exemplar):
    from django.core.exceptions import ValidationError

    page = make_exemplar("Contactable")
    page.contact_text = "Write to jane@example.org"

    with pytest.raises(ValidationError):
        page.full_clean()


def test_public_exemplars_are_in_the_sitemap(client, secret):
    xml = client.get("/sitemap.xml").content.decode()

    assert "/exemplars/open-time-bank/" in xml
    assert "confidential-pilot" not in xml


def test_a_suspended_member_loses_members_only_exemplars_at_once(client, secret):
    from network import services

    member = MemberFactory()
    client.force_login(member)
    shown = client.get(secret.url)
    assert shown.status_code == HTTPStatus.OK
    assert "private" in shown["Cache-Control"]  # never kept by a shared cache for the next visitor

    services.suspend_member(profile=member.network_profile, by=None, reason="Spam")
    client.force_login(member)

    assert client.get(secret.url).status_code == HTTPStatus.FORBIDDEN
    assert_no_secret(client.get("/exemplars/"))


def test_a_document_linked_only_in_a_members_only_pages_text_is_refused_to_visitors(
    client, make_exemplar, files_on_disk
):
    from wagtail.rich_text import RichText

    document = Document.objects.create(title="Minutes", file=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 x"))
    hidden = make_exemplar("Quiet page", members_only=True)
    hidden.body = [("paragraph", RichText(f'<p><a linktype="document" id="{document.pk}">minutes</a></p>'))]
    hidden.save_revision().publish()

    assert client.get(document.url).status_code == HTTPStatus.FOUND
    client.force_login(MemberFactory())
    served = client.get(document.url)
    assert served.status_code == HTTPStatus.OK and "private" in served["Cache-Control"]


def test_links_to_members_only_pages_lose_their_address_in_public_text(client, secret, home_page):
    from wagtail.rich_text import RichText

    from cms.models import StandardPage

    home_page.add_child(
        instance=StandardPage(
            title="News",
            slug="news",
            body=[
                ("paragraph", RichText(f'<p>See <a linktype="page" id="{secret.pk}">our pilot</a>.</p>')),
                ("call_out", {"heading": "Read more", "text": RichText("<p>x</p>"), "link": secret}),
            ],
        )
    )

    html = client.get("/news/").content.decode()

    assert "our pilot" in html and secret.url not in html
    assert_no_secret(client.get("/news/"))


def test_a_signed_in_users_restriction_means_members_here(client, make_exemplar):
    from wagtail.models import PageViewRestriction

    page = make_exemplar("Signed in only")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    client.force_login(UserFactory(profile=Profile.Status.DECLINED))

    assert client.get(page.url).status_code == HTTPStatus.FORBIDDEN
    assert "Signed in only" not in client.get("/exemplars/").content.decode()
    client.force_login(MemberFactory())
    assert client.get(page.url).status_code == HTTPStatus.OK


def test_a_suspended_editor_loses_pages_restricted_to_editors(client, make_exemplar):
    from django.contrib.auth.models import Group
    from wagtail.models import PageViewRestriction

    from network import services
    from tests.factories import EditorFactory

    page = make_exemplar("Editors' notes")
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set(Group.objects.filter(name="Editors"))
    editor = EditorFactory()
    client.force_login(editor)
    assert client.get(page.url).status_code == HTTPStatus.OK

    services.suspend_member(profile=editor.network_profile, by=None, reason="Paused")
    client.force_login(editor)

    assert client.get(page.url).status_code == HTTPStatus.FORBIDDEN
    assert "Editors&#x27; notes" not in client.get("/exemplars/").content.decode()


def test_nested_restrictions_stay_hidden(client, catalogue, make_exemplar):
    outer = make_exemplar("Outer secret", members_only=True)
    from tests.cms.conftest import restrict_to_members

    for n in range(3):
        child = outer.add_child(
            instance=type(outer)(
                title=f"Inner {n}",
                slug=f"inner-{n}",
                summary="s",
                organisation="o",
                region="london",
                live=True,
            )
        )
        restrict_to_members(child)

    html = client.get("/search/", {"q": "Inner"}).content.decode()

    assert "Inner 0" not in html and "Outer secret" not in client.get("/exemplars/").content.decode()


def test_the_catalogue_rendered_for_members_never_reaches_a_visitor_or_a_lapsed_member(client, secret):
    """The catalogue is rendered once per audience and kept (network.fragments): members' copy is theirs."""
    member = MemberFactory()
    client.force_login(member)
    assert SECRET in client.get("/exemplars/").content.decode()  # rendered for members, now in the cache

    client.logout()
    assert_no_secret(client.get("/exemplars/"))
    applicant = UserFactory(profile=Profile.Status.APPLICANT)
    client.force_login(applicant)
    assert_no_secret(client.get("/exemplars/"))
    Profile.objects.filter(user=member).update(status=Profile.Status.SUSPENDED)
    client.force_login(member)
    assert_no_secret(client.get("/exemplars/"))


def test_the_kept_catalogue_follows_publishing_unpublishing_and_restrictions(client, secret, make_exemplar):
    assert "Open time bank" in client.get("/exemplars/").content.decode()

    make_exemplar("A brand new exemplar").save_revision().publish()  # as an editor publishes
    assert "A brand new exemplar" in client.get("/exemplars/").content.decode()

    secret.get_view_restrictions().delete()  # the editor opens it to everyone
    assert SECRET in client.get("/exemplars/").content.decode()

    secret.unpublish()
    assert SECRET not in client.get("/exemplars/").content.decode()
