"""Members write posts on the site: Markdown with a preview that needs no JavaScript, an optional image with
its description, drafts, publishing, editing with the old version kept, deleting."""

import io
import re
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from network.blog import services
from network.blog.models import Post, PostRevision

pytestmark = pytest.mark.django_db


def png(size=(900, 600), colour="teal") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


def form(**fields) -> dict:
    data = {
        "title": "Service users are experts too",
        "body": "Nobody knows a service like *its users*.",
        "visibility": "members",
        "image_alt": "",
        "tags": "",
        "action": "publish",
    }
    data.update(fields)
    return data


def test_a_member_publishes_a_post_with_markdown_and_an_image(client, home_page, author, category, reader):
    client.force_login(author)
    response = client.post(
        "/network/blog/write/",
        form(
            image=png(),
            image_alt="Members around a table",
            categories=[category.pk],
            tags="peer support, time banking",
        ),
    )

    post = Post.objects.get()
    assert response.status_code == HTTPStatus.FOUND and response["Location"] == post.get_absolute_url()
    assert post.is_published and post.visibility == "members" and post.published_at
    assert "<em>its users</em>" in post.body_html
    assert {t.name for t in post.tags.all()} == {"peer support", "time banking"}
    with Image.open(post.image.open("rb")) as stored:
        assert stored.format == "JPEG" and stored.size == (900, 600)

    client.force_login(reader)
    page = client.get(post.get_absolute_url()).content.decode()
    assert "<em>its users</em>" in page and 'alt="Members around a table"' in page
    image = client.get(post.image_url())
    assert image.status_code == HTTPStatus.OK and image["Cache-Control"].startswith("private")


def test_an_image_needs_a_description_and_a_bad_file_is_refused_with_nothing_lost(client, home_page, author):
    client.force_login(author)

    no_alt = client.post("/network/blog/write/", form(image=png()))
    assert "Describe the image" in no_alt.content.decode()
    not_image = client.post(
        "/network/blog/write/",
        form(
            image=SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png"),
            image_alt="x",
        ),
    )
    page = not_image.content.decode()
    assert "not an image we can read" in page
    assert "Service users are experts too" in page and "its users" in page  # what was typed is still there
    assert not Post.objects.exists()


def test_preview_shows_the_rendered_text_and_keeps_the_chosen_image(
    client, home_page, author, django_capture_on_commit_callbacks
):
    client.force_login(author)
    preview = client.post("/network/blog/write/", form(action="preview", image=png(), image_alt="A table"))

    page = preview.content.decode()
    assert "<em>its users</em>" in page and "Nothing is saved" in page and not Post.objects.exists()
    token = preview.context["form"].data["pending_image"]
    assert token
    pending = preview.context["form"].cleaned_data["pending_image"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/network/blog/write/", form(pending_image=token, image_alt="A table"))
    post = Post.objects.get()
    assert post.image and post.image.storage.exists(post.image.name)
    assert not post.image.storage.exists(pending)  # adopted under the post's own name
    services.prune_pending_images(older_than=timedelta(0))
    assert post.image.storage.exists(post.image.name)  # the clean-up job never takes an image in use


def test_a_preview_image_is_its_writers_alone_and_stale_ones_are_deleted(client, home_page, author, reader):
    client.force_login(author)
    preview = client.post("/network/blog/write/", form(action="preview", image=png(), image_alt="A table"))
    token, pending = (
        preview.context["form"].data["pending_image"],
        preview.context["form"].cleaned_data["pending_image"],
    )

    client.force_login(reader)
    client.post("/network/blog/write/", form(pending_image=token, image_alt="Stolen"))
    assert not Post.objects.get(author=reader).image

    services.prune_pending_images()
    assert Post.image.field.storage.exists(pending)  # still fresh: the writer may come back to it
    assert services.prune_pending_images(older_than=timedelta(0)) >= 1
    assert not Post.image.field.storage.exists(pending)


def test_replacing_or_removing_an_image_deletes_the_old_file(
    client, home_page, author, django_capture_on_commit_callbacks
):
    client.force_login(author)
    client.post("/network/blog/write/", form(image=png(), image_alt="First"))
    post = Post.objects.get()
    first = post.image.name

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/network/blog/edit/{post.pk}/", form(image=png(colour="red"), image_alt="Second"))
    post.refresh_from_db()
    second = post.image.name
    assert second != first and not post.image.storage.exists(first) and post.image.storage.exists(second)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/network/blog/edit/{post.pk}/", form(remove_image="on", image_alt=""))
    post.refresh_from_db()
    assert not post.image and not Post.image.field.storage.exists(second)


def test_a_forged_pending_image_is_ignored(client, home_page, author):
    client.force_login(author)
    client.post("/network/blog/write/", form(pending_image="../../etc/passwd", image_alt="x"))

    assert not Post.objects.get().image


def test_drafts_publish_later_and_edits_keep_the_old_version_for_moderators(client, home_page, author):
    client.force_login(author)
    client.post("/network/blog/write/", form(action="draft"))
    post = Post.objects.get()
    assert post.status == "draft" and post.published_at is None

    client.post(f"/network/blog/edit/{post.pk}/", form(action="publish"))
    post.refresh_from_db()
    assert post.is_published and post.edited_at is None and not PostRevision.objects.exists()

    client.post(
        f"/network/blog/edit/{post.pk}/", form(title="Service users are experts, too", action="publish")
    )
    post.refresh_from_db()
    assert post.edited_at and post.title == "Service users are experts, too"
    assert PostRevision.objects.get().title == "Service users are experts too"
    assert "Edited" in client.get(post.get_absolute_url()).content.decode()


def test_only_the_author_edits_or_deletes(client, home_page, make_post, reader):
    post = make_post()
    client.force_login(reader)

    assert client.get(f"/network/blog/edit/{post.pk}/").status_code == HTTPStatus.FORBIDDEN
    assert client.post(f"/network/blog/delete/{post.pk}/").status_code == HTTPStatus.FORBIDDEN
    post.refresh_from_db()
    assert post.deleted_at is None


def test_visitors_and_non_members_cannot_write(client, home_page):
    from network.models import Profile
    from tests.factories import UserFactory

    response = client.get("/network/blog/write/")
    assert response.status_code == HTTPStatus.FOUND and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(profile=Profile.Status.APPLICANT))
    assert client.post("/network/blog/write/", form()).status_code == HTTPStatus.FORBIDDEN
    assert not Post.objects.exists()


def test_sending_the_form_twice_makes_one_post(client, home_page, author):
    client.force_login(author)
    key = "6f1c4b8e-1111-4a2b-9c3d-2e5f6a7b8c9d"
    first = client.post("/network/blog/write/", form(submission_key=key))
    second = client.post("/network/blog/write/", form(submission_key=key))

    assert Post.objects.count() == 1 and first["Location"] == second["Location"]


def test_posting_too_often_is_refused_with_the_text_kept(client, home_page, author, settings):
    settings.NETWORK_RATES = {"post": (2, 3600), "comment": (30, 3600), "report": (20, 3600)}
    client.force_login(author)
    for n in range(2):
        client.post("/network/blog/write/", form(title=f"Post {n}"))
    third = client.post("/network/blog/write/", form(title="One too many"))

    assert Post.objects.count() == 2 and "try again later" in third.content.decode()
    assert "One too many" in third.content.decode()


SUBMISSION_KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def test_each_blank_form_has_its_own_key_and_offers_the_categories_of_the_moment(
    client, home_page, author, category
):
    """The blank form's fields are rendered once and kept (network.fragments.blank_form): each copy still
    gets a fresh submission key, or a second post would be taken for the first one sent twice."""
    from network.blog.models import Category

    client.force_login(author)
    first = client.get("/network/blog/write/").content.decode()
    Category.objects.create(name="Early years", slug="early-years")
    second = client.get("/network/blog/write/").content.decode()

    assert "Community capacity" in first and "Early years" not in first
    assert "Early years" in second
    keys = [SUBMISSION_KEY.search(page).group(1) for page in (first, second)]
    assert keys[0] != keys[1]
    for key, title in zip(keys, ("First thoughts", "Second thoughts"), strict=True):
        client.post("/network/blog/write/", form(title=title, submission_key=key))
    assert set(Post.objects.values_list("title", flat=True)) == {"First thoughts", "Second thoughts"}
