"""The core's models. Names that migrations store (network.models.avatar_path, avatar_storage) stay here."""

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
