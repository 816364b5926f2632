"""Chainable reads for network models."""

from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone


class OutboxQuerySet(models.QuerySet):
    def due(self, now: datetime | None = None) -> "OutboxQuerySet":
        """Pending messages whose next attempt time has come."""
        return self.filter(status="pending", next_attempt_at__lte=now or timezone.now())

    def stale_sending(self, older_than: timedelta, now: datetime | None = None) -> "OutboxQuerySet":
        return self.filter(status="sending", claimed_at__lt=(now or timezone.now()) - older_than)

    def needing_attention(self) -> "OutboxQuerySet":
        return self.filter(status__in=["pending", "failed", "uncertain"])


class ProfileQuerySet(models.QuerySet):
    """Reads of member profiles. Filters and search only ever match what members may see."""

    def update(self, **kwargs) -> int:
        # no signal is sent: what is kept of profiles (network.fragments, the signed-in person) is stale;
        # bumped after the write too, as a request between the first bump and it could keep the old rows
        from . import fragments

        fragments.bump("members")
        updated = super().update(**kwargs)
        fragments.bump("members")
        return updated

    def bulk_update(self, objs, fields, batch_size=None) -> int:
        from . import fragments

        fragments.bump("members")
        updated = super().bulk_update(objs, fields, batch_size=batch_size)
        fragments.bump("members")
        return updated

    def members(self) -> "ProfileQuerySet":
        return self.filter(status="member", user__is_active=True)

    def for_feed_key(self, key: str):
        """The member whose private feed address holds `key`, or None (no key, a revoked one, a former
        member's): the one check every private feed makes."""
        if not key or "\x00" in key or len(key) > 100:  # PostgreSQL refuses NUL in text
            return None
        return self.members().filter(feed_key=key).select_related("user").first()

    def applicants(self) -> "ProfileQuerySet":
        return self.filter(status="applicant")

    def search(self, text: str) -> "ProfileQuerySet":
        """Match name, organisation and bio, but only where their owner shows them to members."""
        q = models.Q()
        for word in text.split()[:8]:
            q &= (
                models.Q(display_name__icontains=word)
                | models.Q(organisation__icontains=word, organisation_visibility="members")
                | models.Q(job_title__icontains=word, job_title_visibility="members")
                | models.Q(bio__icontains=word, bio_visibility="members")
            )
        return self.filter(q)

    def in_region(self, region: str) -> "ProfileQuerySet":
        return self.filter(region=region, region_visibility="members")

    def relating_as(self, relationship: str) -> "ProfileQuerySet":
        # e.g. "person who uses services" is close to health data: only those who show it can be found by it
        return self.filter(relationship=relationship, relationship_visibility="members")

    def interested_in(self, theme_slug: str) -> "ProfileQuerySet":
        return self.filter(themes__slug=theme_slug, interests_visibility="members")

    def for_listing(self) -> "ProfileQuerySet":
        return self.select_related("user").prefetch_related("themes")
