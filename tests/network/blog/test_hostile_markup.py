"""Whatever a member types into a title, body, comment, tag or category, pages and feeds show it as text:
no script runs, no handler fires, no frame, style or remote asset loads."""

from html.parser import HTMLParser
from xml.etree import ElementTree

import pytest
from django.utils.html import escape

from network.blog.models import Category, Post

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)><circle/></svg>",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{display:none}</style>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](JaVaScRiPt&colon;alert(1))",
    '<a href="&#x6A;avascript:alert(1)">x</a>',
    "<div style=\"background:url('https://evil.example/x.png')\">styled</div>",
    "![tracker](https://evil.example/pixel.png)",
    '"><script>alert(1)</script>',
]
DANGEROUS_TAGS = {"script", "svg", "iframe", "style", "object", "embed", "math", "base"}


class LiveMarkup(HTMLParser):
    """Collects what a browser would act on: dangerous elements, event handlers, inline styles, script
    URLs and images from elsewhere. Text (escaped markup) is ignored, as a browser shows it as text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on") or name == "style":
                self.found.append(f"{tag}[{name}]")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and (
                value.startswith(("javascript:", "vbscript:", "data:")) or "evil.example" in value and name == "src"
            ):
                self.found.append(f"{tag}[{name}={value[:30]}]")


def live_markup(html: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html)
    return parser.found


def feed_contents(xml: str) -> list[str]:
    """The HTML a feed reader would render: each entry's title and content, unescaped once."""
    root = ElementTree.fromstring(xml)
    atom = "{http://www.w3.org/2005/Atom}"
    return [element.text or "" for element in root.iter() if element.tag in {f"{atom}content", f"{atom}summary"}]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_markup_in_every_field_is_inert(client, home_page, author, reader, hostile):
    category = Category.objects.create(name=f"Cat {hostile}"[:80], slug="cat")
    client.force_login(author)
    client.post("/network/blog/write/", {
        "title": f"T {hostile}"[:200], "body": f"B {hostile}", "visibility": "public", "action": "publish",
        "tags": '"' + hostile[:45].replace('"', "'") + '"', "categories": [category.pk], "image_alt": "",
    })
    post = Post.objects.get()  # the form took it all: hostile text is not refused, it is made harmless
    client.force_login(reader)
    client.post(f"/network/blog/comment/{post.pk}/", {"body": f"C {hostile}"})
    reader.network_profile.display_name = f"R {hostile}"[:80]  # named in the Report link the author sees
    reader.network_profile.save()
    client.force_login(author)
    as_author = client.get(post.get_absolute_url()).content.decode()
    client.force_login(reader)

    pages = {
        "post": client.get(post.get_absolute_url()).content.decode(),
        "post, as its author": as_author,
        "blog": client.get("/network/blog/").content.decode(),
        "category": client.get("/network/blog/category/cat/").content.decode(),
        "search": client.get("/network/blog/", {"q": "B"}).content.decode(),
    }
    for tag in post.tags.all():
        pages[f"tag {tag.slug}"] = client.get(f"/network/blog/tag/{tag.slug}/").content.decode()
    feed = client.get("/network/blog/feed/").content.decode()
    pages.update({f"feed entry {n}": html for n, html in enumerate(feed_contents(feed))})
    for name, html in pages.items():
        assert not live_markup(html), (name, live_markup(html))
    assert post.comments.count() == 1
    assert escape(post.title) in pages["post"]  # shown, as text
    assert f"the comment by {escape(reader.network_profile.display_name)}" in as_author


def test_the_checker_sees_live_markup():
    """The check above is only worth something if it catches each kind of attack when it is live."""
    for html, expected in [
        ("<p><script>x</script></p>", "<script>"),
        ('<img src="https://evil.example/p.png">', "img[src="),
        ('<svg onload="x">', "<svg>"),
        ('<a href=" JavaScript:alert(1)">', "a[href=javascript"),
        ('<div style="color:red">', "div[style]"),
        ('<b onclick="x">', "b[onclick]"),
    ]:
        assert any(found.startswith(expected) for found in live_markup(html)), html
    assert live_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; onload=x</p>") == []
