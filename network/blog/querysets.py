from django.db import models
from django.db.models import Q
from wagtail.search.queryset import SearchableQuerySetMixin

from network.access import is_member


class PostQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def published(self) -> "PostQuerySet":
        return self.filter(status="published", deleted_at__isnull=True, hidden_at__isnull=True)

    def public(self) -> "PostQuerySet":
        return self.published().filter(visibility="public")

    def visible_to(self, user) -> "PostQuerySet":
        """What `user` may find in listings, feeds and search: members see every published post, everyone
        else only public ones. (Drafts are their author's, on their own page; hidden posts only moderators'.)"""
        return self.published() if is_member(user) else self.public()

    def for_listing(self) -> "PostQuerySet":
        return self.select_related("author__network_profile").prefetch_related("categories")

    def in_month(self, year: int, month: int) -> "PostQuerySet":
        return self.filter(published_at__year=year, published_at__month=month)


class CommentQuerySet(models.QuerySet):
    def shown(self) -> "CommentQuerySet":
        """Comments readers see: not hidden; removed ones stay only as "comment removed" above replies."""
        return (
            self.filter(hidden_at__isnull=True)
            .filter(Q(deleted_at__isnull=True) | Q(replies__isnull=False))
            .distinct()
        )
