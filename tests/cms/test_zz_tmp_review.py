import pytest
from django.utils import timezone

from network.blog.models import Post
from tests.factories import MemberFactory, ModeratorFactory

pytestmark = pytest.mark.django_db

ODD = ["*", "-", "'", "%", "a%b", "100%", "NEAR(a b)", "AND", "OR", "NOT", "(", ")", "^a", "a:b", "title:x",
       "{a}", "\\", "é", "🙂", "a\"b", "'a'", "x" * 150, "a - b", "+", "time*", "-time", "time -bank",
       "%s", "%(x)s", "  ", "\u200b", "\x00", "title: time", "time OR bank", "\"", "''", "a''b", ".", "..",
       "{title body}: time", "time NOT bank", "col:*", "ｔｉｍｅ", "\u00ad"]


@pytest.fixture
def data(make_exemplar, home_page):
    make_exemplar("Time bank", summary="Time given")
    author = MemberFactory()
    Post.objects.create(author=author, title="Time bank diary", body="time", status="published",
                        visibility="public", published_at=timezone.now())
    Post.objects.create(author=author, title="Time members", body="time", status="published",
                        visibility="members", published_at=timezone.now())


@pytest.mark.parametrize("who", ["anon", "member"])
def test_odd_input(client, data, who):
    if who == "member":
        client.force_login(MemberFactory())
    bad = []
    for q in ODD:
        for url in ("/search/", "/network/blog/", "/exemplars/"):
            try:
                r = client.get(url, {"q": q})
                code = r.status_code
            except Exception as e:  # noqa
                code = repr(e)[:200]
            if code != 200:
                bad.append((url, q, code))
    assert not bad, bad
