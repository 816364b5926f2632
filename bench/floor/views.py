from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import Post


def post_list(request: HttpRequest) -> HttpResponse:
    """20 posts with their authors: two queries (the count and the page)."""
    posts = Post.objects.select_related("author")
    page = Paginator(posts, 20).get_page(request.GET.get("page"))
    return render(request, "floor/post_list.html", {"page": page})


def ok(request: HttpRequest) -> HttpResponse:
    """No template, no database: the cost of Django and gunicorn alone."""
    return HttpResponse("ok", content_type="text/plain")
