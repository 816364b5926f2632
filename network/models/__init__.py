"""The core's models. Names that migrations store (network.models.avatar_path, avatar_storage) stay here."""

from .choices import ChoiceLabel
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
from .outbox import OutboxMessage

__all__ = [
    "AddressRecord",
    "ChoiceLabel",
    "Interest",
    "MembershipSettings",
    "OutboxMessage",
    "Profile",
    "ProfileInterest",
    "Region",
    "Theme",
    "Visibility",
    "avatar_path",
    "avatar_storage",
]
