from django.contrib.sitemaps import Sitemap

from .models import Post


class PostSitemap(Sitemap):
    """Public posts only: a members-only post never appears where search engines look."""

    limit = 5000

    def items(self):
        return (
            Post.objects.public()
            .only("pk", "slug", "published_at", "edited_at")
            .order_by("-published_at", "-pk")
        )

    def lastmod(self, post: Post):
        return post.edited_at or post.published_at
