from html import unescape

from django import template
from django.utils.html import strip_tags

from network.markup import render_markdown

register = template.Library()


@register.filter
def markdown(source: str):
    """Member-written Markdown as sanitised HTML."""
    return render_markdown(source)


@register.filter
def plain_text(html: str) -> str:
    """Sanitised HTML as the words a reader sees, for excerpts and descriptions: tags dropped and entities
    decoded once, so the template escapes it exactly once ("&lt;" is shown as "<", never as "&lt;")."""
    return unescape(strip_tags(html or ""))
