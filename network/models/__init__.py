"""The core's models. Names that migrations store (network.models.avatar_path, avatar_storage) stay here."""

from .choices import ChoiceLabel
from .content import MemberContent, find_member_content, may_see_hidden
from .members import (
    AddressRecord,
    Interest,
    MembershipSettings,
    Profile,
    ProfileInterest,
    Region,
    Theme,
    Visibility,
    avatar_path,
    avatar_storage,
)
from .moderation import Report
from .notifications import Notification, Subscription
from .outbox import OutboxMessage

__all__ = [
    "AddressRecord",
    "ChoiceLabel",
    "Interest",
    "MemberContent",
    "MembershipSettings",
    "Notification",
    "OutboxMessage",
    "Profile",
    "ProfileInterest",
    "Report",
    "Subscription",
    "Region",
    "Theme",
    "Visibility",
    "avatar_path",
    "avatar_storage",
    "find_member_content",
    "may_see_hidden",
]
