from django import template

from network import markup
from network.markup import render_markdown

register = template.Library()


@register.filter
def markdown(source: str):
    """Member-written Markdown as sanitised HTML."""
    return render_markdown(source)


@register.filter
def plain_text(html: str) -> str:
    return markup.plain_text(html)
