import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q

from network.blog.models import Comment, Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def bench_blog(capsys):
    call_command("seed_bench", members=30, exemplars=0, posts=50, comments=400)


def test_seed_bench_adds_exactly_the_posts_and_comments_asked_for(bench_blog):
    assert Post.objects.count() == 50
    assert Comment.objects.count() == 400


def test_every_bench_post_shows_its_real_number_of_comments(bench_blog):
    posts = Post.objects.annotate(real=Count("comments"))

    assert all(post.comment_count == post.real for post in posts)
    assert sum(post.comment_count for post in posts) == 400


def test_one_bench_post_has_by_far_the_most_comments_and_visitors_can_read_it(bench_blog):
    first, second = Post.objects.order_by("-comment_count")[:2]

    assert first.comment_count >= 300
    assert first.comment_count > 10 * second.comment_count
    assert first.is_public


def test_bench_replies_answer_a_top_level_comment_on_the_same_post(bench_blog):
    replies = Comment.objects.filter(parent__isnull=False)

    assert replies.count() >= 400 * 0.2
    assert not replies.filter(~Q(parent__post=F("post")) | Q(parent__parent__isnull=False)).exists()


def test_bench_posts_are_public_and_members_only_written_by_several_members_over_many_months(bench_blog):
    public = Post.objects.public().count()

    assert 0 < public < 50
    assert Post.objects.values("author").distinct().count() >= 3
    assert Post.objects.dates("published_at", "month").count() >= 6
    assert all(post.body_html.startswith("<p>") for post in Post.objects.all())


def test_bench_posts_open_at_their_own_address(bench_blog, client):
    post = Post.objects.public().order_by("-comment_count").first()
    client.force_login(Post.objects.exclude(author=None).first().author)  # counts are shown to members

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert f"Comments ({post.comment_count})".encode() in response.content


def test_bench_markdown_is_rendered_once_per_distinct_text_not_once_per_row(monkeypatch, capsys):
    from cms.management.commands import seed_bench

    calls = []
    real = seed_bench.render_markdown
    monkeypatch.setattr(seed_bench, "render_markdown", lambda text: calls.append(text) or real(text))
    call_command("seed_bench", members=10, exemplars=0, posts=40, comments=500)

    assert len(calls) == len(set(calls)) < 100  # not one per post or comment: 540 rows were written


def test_comments_without_posts_are_refused(capsys):
    with pytest.raises(CommandError):
        call_command("seed_bench", members=0, exemplars=0, comments=10)


def test_the_bench_posts_are_in_the_search_index(bench_blog):
    """bulk_create sends no signal: the command itself tells the search index, or blog search finds nothing."""
    from network.search import search_pks

    post = Post.objects.filter(visibility=Post.Visibility.PUBLIC).order_by("pk").first()
    word = max(post.title.split(), key=len)

    assert post.pk in search_pks(Post.objects.all(), word)
