from django import template

from network.markup import render_markdown

register = template.Library()


@register.filter
def markdown(source: str):
    """Member-written Markdown as sanitised HTML."""
    return render_markdown(source)
