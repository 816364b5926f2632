from django.db import models


class ThreadQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThreadQuerySet":
        """Threads `user` may read: none for anyone but members; hidden ones for moderators only."""
        from network.access import is_member
        from network.models import may_see_hidden

        if not is_member(user):
            return self.none()
        return self if may_see_hidden(user) else self.filter(hidden_at__isnull=True)

    def visible(self) -> "ThreadQuerySet":
        return self.filter(hidden_at__isnull=True)


class ReplyQuerySet(models.QuerySet):
    def visible(self) -> "ReplyQuerySet":
        return self.filter(hidden_at__isnull=True)

    def shown_to(self, user) -> "ReplyQuerySet":
        """A thread's replies as `user` sees them (call only for someone who may read the thread)."""
        from network.models import may_see_hidden

        return self if may_see_hidden(user) else self.visible()
