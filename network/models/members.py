"""Members: profiles and their membership, themes and interests, the membership rule, decisions kept."""

import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import ItemBase
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..querysets import ProfileQuerySet
from .choices import ChoiceLabel


class Theme(models.Model):
    """A theme of co-production work; members list them as interests and exemplars illustrate them."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("theme")

    def __str__(self) -> str:
        return self.name


@register_setting(icon="group")
class MembershipSettings(BaseGenericSetting):
    """How applications become memberships: by a moderator, by listed email domains, or for everyone."""

    class Policy(models.TextChoices):
        MODERATED = "moderated", _("A moderator approves every application")
        DOMAINS = "domains", _("Approve verified addresses on the listed domains; a moderator the rest")
        OPEN = "open", _("Approve every verified address (open network)")

    policy = models.CharField(_("approval"), max_length=10, choices=Policy.choices, default=Policy.MODERATED)
    approved_domains = models.TextField(
        _("approved email domains"), blank=True, help_text=_("One per line, e.g. nhs.net")
    )

    class Meta:
        verbose_name = _("membership")

    def domain_list(self) -> set[str]:
        return {
            line.strip().lower().lstrip("@") for line in self.approved_domains.splitlines() if line.strip()
        }


class Region(models.TextChoices):
    """Where a member or an exemplar is: the UK's nations and English regions."""

    NORTH_EAST = "north_east", _("North East England")
    NORTH_WEST = "north_west", _("North West England")
    YORKSHIRE = "yorkshire", _("Yorkshire and the Humber")
    EAST_MIDLANDS = "east_midlands", _("East Midlands")
    WEST_MIDLANDS = "west_midlands", _("West Midlands")
    EAST = "east", _("East of England")
    LONDON = "london", _("London")
    SOUTH_EAST = "south_east", _("South East England")
    SOUTH_WEST = "south_west", _("South West England")
    SCOTLAND = "scotland", _("Scotland")
    WALES = "wales", _("Wales")
    NORTHERN_IRELAND = "northern_ireland", _("Northern Ireland")
    ELSEWHERE = "elsewhere", _("Outside the UK")


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members")
    PRIVATE = "private", _("Only me")


def _visibility_field(label):
    return models.CharField(label, max_length=8, choices=Visibility.choices, default=Visibility.MEMBERS)


def avatar_storage():
    return storages["network_private"] if "network_private" in settings.STORAGES else storages["default"]


def avatar_path(profile: "Profile", filename: str) -> str:
    return f"avatars/{profile.user_id}/{uuid.uuid4().hex}.jpg"


class EmailNotifications(models.TextChoices):
    EACH = "each", _("One email for each new comment or reply")
    DAILY = "daily", _("One email a day with everything new")
    NEVER = "never", _("No emails: I will look on the site")


class Profile(models.Model):
    """A person's membership (applicant, member, declined, suspended) and what they show other members."""

    class Status(models.TextChoices):
        NEW = "new", _("Not applied yet")
        APPLICANT = "applicant", _("Waiting for approval")
        MEMBER = "member", _("Member")
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")

    class Relationship(models.TextChoices):
        PRACTITIONER = "practitioner", _("Practitioner")
        SERVICE_USER = "service_user", _("Person who uses services")
        CARER = "carer", _("Carer or family member")
        COMMISSIONER = "commissioner", _("Commissioner or manager")
        RESEARCHER = "researcher", _("Researcher or evaluator")
        VOLUNTEER = "volunteer", _("Volunteer or community organiser")
        OTHER = "other", _("Other")

    EmailNotifications = EmailNotifications
    Region = Region  # shared with exemplars, which are placed in the same regions

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_profile"
    )
    handle = models.SlugField(_("profile address"), max_length=80, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    display_name = models.CharField(
        _("name"), max_length=80, help_text=_("As you want other members to see it.")
    )
    pronouns = models.CharField(_("pronouns"), max_length=40, blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    job_title = models.CharField(_("role or title"), max_length=120, blank=True)
    relationship = models.CharField(
        _("how you relate to co-production"), max_length=20, choices=Relationship.choices, blank=True
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="profiles", verbose_name=_("themes"))
    interests = TaggableManager(_("other interests"), blank=True, through="network.ProfileInterest")
    bio = models.TextField(_("about you"), blank=True, max_length=4000, help_text=_("Markdown is allowed."))
    avatar = models.ImageField(_("photo"), upload_to=avatar_path, storage=avatar_storage, blank=True)
    links = models.TextField(_("links"), blank=True, help_text=_("Up to five web addresses, one per line."))
    pronouns_visibility = _visibility_field(_("who sees your pronouns"))
    relationship_visibility = _visibility_field(_("who sees how you relate to co-production"))
    organisation_visibility = _visibility_field(_("who sees your organisation"))
    job_title_visibility = _visibility_field(_("who sees your role"))
    region_visibility = _visibility_field(_("who sees your region"))
    bio_visibility = _visibility_field(_("who sees your bio"))
    links_visibility = _visibility_field(_("who sees your links"))
    interests_visibility = _visibility_field(_("who sees your interests"))
    # The secret part of this member's private feed address (members-only posts and what they watch);
    # empty until they ask for one, replaced when they revoke it.
    feed_key = models.CharField(max_length=43, blank=True, db_index=True, editable=False)
    email_notifications = models.CharField(
        _("emails about what you watch"),
        max_length=10,
        choices=EmailNotifications.choices,
        default=EmailNotifications.EACH,
        help_text=_("New comments on posts you wrote, commented on or chose to watch."),
    )
    digest_sent_at = models.DateTimeField(null=True, blank=True, editable=False)  # the last daily email

    application_reason = models.TextField(_("why you want to join"), blank=True, max_length=2000)
    applied_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_message = models.TextField(_("message to the applicant"), blank=True)
    suspension_reason = models.TextField(_("reason for suspension"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()
    relationship_label = ChoiceLabel()
    region_label = ChoiceLabel()

    class Meta:
        ordering = ["display_name"]
        verbose_name = _("member profile")
        permissions = [("moderate_profile", "Can approve, decline, suspend and reinstate members")]
        indexes = [models.Index(fields=["status", "display_name"], name="profile_directory_idx")]

    def __str__(self) -> str:
        return self.display_name or self.handle

    def get_absolute_url(self) -> str:
        return reverse("network:profile_detail", kwargs={"handle": self.handle})

    @property
    def is_member(self) -> bool:
        return self.status == self.Status.MEMBER

    # A profile is also what its owner watches to hear of mentions of them (network.services.notifications):
    # the unsubscribe page names it and shows it only to its owner.
    @property
    def content_title(self) -> str:
        return str(_("mentions of you"))

    def is_visible_to(self, user) -> bool:
        return user is not None and user.pk == self.user_id

    def avatar_url(self) -> str:
        """A members-only address, changed with every upload so browsers and caches never show an old one."""
        if not self.avatar:
            return ""
        key = self.avatar.name.rsplit("/", 1)[-1].removesuffix(".jpg")
        return reverse("network:profile_avatar", kwargs={"handle": self.handle, "key": key})

    def shows(self, field: str, viewer) -> bool:
        """Whether `viewer` may see `field` of this profile (its owner always may)."""
        if viewer is not None and viewer.pk == self.user_id:
            return True
        return getattr(self, f"{field}_visibility") == Visibility.MEMBERS

    def link_list(self) -> list[str]:
        return [line.strip() for line in self.links.splitlines() if line.strip()]


class AddressRecord(models.Model):
    """A moderator's decline or suspension, remembered for the person's email addresses so that it outlives
    the account: someone who deletes their account and signs up again is not approved automatically, and
    the moderators see what happened before. Only a keyed hash of each address is kept, never the address."""

    class Decision(models.TextChoices):
        DECLINED = "declined", _("Declined")
        SUSPENDED = "suspended", _("Suspended")

    digest = models.CharField(max_length=64, unique=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("address record")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.decided_at:%Y-%m-%d}"


class Interest(models.Model):
    """A member's own word for an interest. The network's own table, not Wagtail's shared tags: those are listed
    to every admin user by its tag autocomplete (as would any taggit TagBase model, so this is not one), and
    an interest someone keeps to themselves must reach no one. Removed when no profile uses it any more."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("interest")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(self.name, allow_unicode=True)[:90] or "interest"
            self.slug, n = base, 1
            while Interest.objects.filter(slug=self.slug).exclude(pk=self.pk).exists():
                n += 1
                self.slug = f"{base}-{n}"
        super().save(*args, **kwargs)


class ProfileInterest(ItemBase):
    """Which interests a profile lists (taggit's manager works through it)."""

    content_object = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="interest_items")
    tag = models.ForeignKey(Interest, on_delete=models.CASCADE, related_name="profile_items")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["content_object", "tag"], name="one_interest_once")]
