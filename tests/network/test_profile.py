"""Members edit their own profile; bad input gets a clear error and nothing is stored half-way."""

import io
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from network.models import Profile, Theme
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def image_upload(fmt="PNG", size=(900, 600), name="me.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 120, 140)).save(out, fmt)
    return SimpleUploadedFile(name, out.getvalue(), content_type=f"image/{fmt.lower()}")


def valid_data(**changes) -> dict:
    data = {
        "display_name": "Amara Osei",
        "pronouns": "she/her",
        "pronouns_visibility": "members",
        "organisation": "Croydon peer network",
        "organisation_visibility": "members",
        "job_title": "Facilitator",
        "job_title_visibility": "members",
        "relationship": "practitioner",
        "relationship_visibility": "members",
        "region": "london",
        "region_visibility": "members",
        "interests": "time banking, peer support",
        "interests_visibility": "members",
        "bio": "I **love** peer support.",
        "bio_visibility": "members",
        "links": "https://example.org/amara",
        "links_visibility": "members",
    }
    return {**data, **changes}


@pytest.fixture
def member(client, home_page):
    member = MemberFactory(profile__handle="amara", profile__display_name="Before")
    client.force_login(member)
    return member


def test_a_member_edits_their_profile_and_sees_it(client, member):
    theme = Theme.objects.first()

    response = client.post("/network/profile/", valid_data(themes=[theme.pk]))

    assert response["Location"] == "/network/members/amara/"
    html = client.get("/network/members/amara/").content.decode()
    assert "Amara Osei" in html and "(she/her)" in html and "Croydon peer network" in html
    assert "<strong>love</strong>" in html
    assert theme.name in html and "time banking" in html


def test_private_fields_are_shown_to_their_owner_but_hidden_from_other_members(client, member):
    client.post("/network/profile/", valid_data(organisation_visibility="private", bio_visibility="private"))
    assert "Croydon peer network" in client.get("/network/members/amara/").content.decode()

    client.force_login(MemberFactory())
    html = client.get("/network/members/amara/").content.decode()

    assert "Amara Osei" in html
    assert "Croydon peer network" not in html and "peer support.</p>" not in html


def test_a_member_cannot_edit_someone_elses_profile(client, member):
    other = MemberFactory(profile__handle="other", profile__display_name="Other Person")

    client.post("/network/profile/", valid_data(display_name="Hijacked"))  # only ever edits your own
    response = client.post("/network/members/other/", valid_data(display_name="Hijacked"))

    other.network_profile.refresh_from_db()
    assert other.network_profile.display_name == "Other Person"
    assert response.status_code in (HTTPStatus.OK, HTTPStatus.METHOD_NOT_ALLOWED)
    member.network_profile.refresh_from_db()
    assert member.network_profile.display_name == "Hijacked"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"display_name": ""}, "display_name", "required"),
        ({"bio": "x" * 10_000}, "bio", "at most 4000"),
        ({"organisation": "<script>alert(1)</script>"}, "organisation", "HTML tags"),
        ({"bio": "Hello <script>steal()</script>"}, "bio", "HTML tags"),
        ({"links": "javascript:alert(1)"}, "links", "not a web address"),
        ({"links": "\n".join(f"https://example.org/{n}" for n in range(6))}, "links", "at most 5"),
        ({"relationship": ""}, "relationship", "required"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(client, member, changes, field, message):
    response = client.post("/network/profile/", valid_data(**changes))

    assert response.status_code == HTTPStatus.OK
    assert message in " ".join(response.context["form"].errors[field])
    assert 'aria-invalid="true"' in response.content.decode()
    member.network_profile.refresh_from_db()
    assert member.network_profile.display_name == "Before"


def test_markdown_in_a_bio_is_rendered_safely(client, member):
    client.post(
        "/network/profile/",
        valid_data(bio="[click](javascript:alert(1)) ![x](https://evil.example/x.png) *ok*"),
    )

    html = client.get("/network/members/amara/").content.decode()

    assert 'href="javascript:' not in html and "evil.example" not in html
    assert "<em>ok</em>" in html


def test_an_avatar_is_cropped_square_shrunk_and_served_only_to_members(client, member):
    client.post("/network/profile/", valid_data(avatar=image_upload()))
    member.network_profile.refresh_from_db()
    url = member.network_profile.avatar_url()

    response = client.get(url)

    assert response.status_code == HTTPStatus.OK and response["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert image.size == (400, 400)
    assert "private" in response["Cache-Control"]
    client.logout()
    assert client.get(url).status_code == HTTPStatus.FOUND  # visitors are sent to sign in
    assert (
        not member.network_profile.avatar.url.startswith("/media/")
        or client.get(member.network_profile.avatar.url).status_code == HTTPStatus.NOT_FOUND
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("me.png", b"not an image at all", content_type="image/png"), "not an image"),
        (
            SimpleUploadedFile("big.jpg", b"\xff" * (5 * 1024 * 1024 + 10), content_type="image/jpeg"),
            "larger than 5 MB",
        ),
    ],
)
def test_a_bad_avatar_is_refused_and_the_rest_of_the_form_is_not_saved(client, member, upload, message):
    response = client.post("/network/profile/", valid_data(avatar=upload))

    assert response.status_code == HTTPStatus.OK
    assert message in " ".join(response.context["form"].errors["avatar"])
    member.network_profile.refresh_from_db()
    assert member.network_profile.display_name == "Before" and not member.network_profile.avatar


def test_a_guessed_avatar_key_finds_nothing(client, member):
    client.post("/network/profile/", valid_data(avatar=image_upload()))

    assert client.get("/network/members/amara/photo/0123456789abcdef.jpg").status_code == HTTPStatus.NOT_FOUND


def test_a_suspended_members_avatar_is_not_served(client, member):
    client.post("/network/profile/", valid_data(avatar=image_upload()))
    member.network_profile.refresh_from_db()
    url = member.network_profile.avatar_url()
    Profile.objects.filter(pk=member.network_profile.pk).update(status=Profile.Status.SUSPENDED)
    client.force_login(MemberFactory())

    assert client.get(url).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    ("interests", "message"),
    [
        ("x" * 150, "under 50 characters"),
        (", ".join(f"topic {n}" for n in range(25)), "at most 20"),
    ],
)
def test_too_long_or_too_many_interests_are_refused_and_nothing_is_saved(client, member, interests, message):
    response = client.post("/network/profile/", valid_data(interests=interests))

    assert response.status_code == HTTPStatus.OK
    assert message in " ".join(response.context["form"].errors["interests"])
    member.network_profile.refresh_from_db()
    assert member.network_profile.display_name == "Before"


def test_replacing_a_photo_deletes_the_old_file(client, member, django_capture_on_commit_callbacks):
    client.post("/network/profile/", valid_data(avatar=image_upload()))
    member.network_profile.refresh_from_db()
    old = member.network_profile.avatar.name
    storage = member.network_profile.avatar.storage

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/network/profile/", valid_data(avatar=image_upload(name="new.png")))

    assert not storage.exists(old)


def test_interests_kept_to_oneself_reach_no_admin_autocomplete_and_leave_with_the_person(client, member):
    from tests.factories import PASSWORD, EditorFactory

    client.post(
        "/network/profile/", valid_data(interests="Hepatitis C recovery", interests_visibility="private")
    )
    assert Profile.objects.get(pk=member.network_profile.pk).interests.names()[0] == "Hepatitis C recovery"
    client.force_login(EditorFactory())

    for url in (
        "/admin/tag-autocomplete/?term=Hep",
        "/admin/tag-autocomplete/network/interest/?term=Hep",
        "/admin/tag-autocomplete/network/profileinterest/?term=Hep",
    ):
        response = client.get(url)
        assert "Hepatitis" not in response.content.decode(), url

    client.force_login(member)
    client.post("/network/my-data/delete-account/", {"password": PASSWORD})
    from network.models import Interest

    assert not Interest.objects.filter(name__icontains="Hepatitis").exists()


def test_an_interest_dropped_from_the_last_profile_is_gone(client, member):
    from network.models import Interest

    client.post("/network/profile/", valid_data(interests="time banking, rare thing"))
    other = MemberFactory()
    other.network_profile.interests.add("time banking")

    client.post("/network/profile/", valid_data(interests="time banking"))

    assert sorted(Interest.objects.values_list("name", flat=True)) == ["time banking"]


def test_an_interest_of_several_words_stays_one_interest(client, member):
    client.post("/network/profile/", valid_data(interests="peer support"))

    assert list(Profile.objects.get(pk=member.network_profile.pk).interests.names()) == ["peer support"]


def test_the_kept_profile_page_is_per_audience_and_follows_every_change(client, home_page):
    """A profile page is rendered once per audience (its owner, other members) and kept (network.fragments)."""
    from network.blog.models import Post

    owner = MemberFactory(
        profile__display_name="Helen Marsh",
        profile__organisation="Leeds Time Bank",
        profile__organisation_visibility="private",
    )
    url = owner.network_profile.get_absolute_url()
    other = MemberFactory()  # made first: a new member is a change that renders the pages afresh
    client.force_login(owner)
    assert "Leeds Time Bank" in client.get(url).content.decode()  # the owner's copy, now kept

    client.force_login(other)
    assert "Leeds Time Bank" not in client.get(url).content.decode()

    owner.network_profile.organisation_visibility = "members"
    owner.network_profile.save()
    assert "Leeds Time Bank" in client.get(url).content.decode()
    owner.network_profile.interests.add("peer support")
    assert "peer support" in client.get(url).content.decode()
    Post.objects.create(
        author=owner,
        title="Hours, not pounds",
        body="x",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    assert "Hours, not pounds" in client.get(url).content.decode()
    Profile.objects.filter(pk=owner.network_profile.pk).update(status=Profile.Status.SUSPENDED)  # no signal
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
