"""Member-written text: Markdown rendered by markdown-it-py, then sanitised by nh3.

Raw HTML in the source is escaped (html=False) and the output passes through an allow-list, so nothing a
member writes can run script, embed remote content or style the page.
"""

import re
from html import unescape

import nh3
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    "strikethrough"
)

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "del",
    "a",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(source: str) -> SafeString:
    """Safe HTML for member-written Markdown; images are dropped so no remote asset is ever loaded."""
    html = _md.render(source or "")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
    return mark_safe(clean)  # noqa: S308 - nh3 has just sanitised it


def plain_text(html: str) -> str:
    """Sanitised HTML as the words a reader sees, for excerpts and descriptions: tags dropped and entities
    decoded once, so the template escapes it exactly once ("&lt;" is shown as "<", never as "&lt;")."""
    return unescape(strip_tags(html or ""))


MENTION = re.compile(r"(?<![\w@/.])@([a-z0-9](?:[a-z0-9_-]{0,78}[a-z0-9])?)\b", re.IGNORECASE)
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def mentioned_handles(source: str) -> set[str]:
    """The handles written as @handle in Markdown source (not in code, not in an email address), lower-case."""
    return {handle.lower() for handle in MENTION.findall(CODE.sub(" ", source or ""))}
