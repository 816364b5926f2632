"""The core's pages for people, one module per subject: members (applying, the directory, profiles, your
own data), moderation (reporting what a member wrote), notifications (watching and unsubscribing)."""

from .members import (
    DIRECTORY_PAGE_SIZE,
    account_delete,
    apply,
    member_list,
    membership_status,
    my_data,
    my_data_download,
    network_home,
    profile_avatar,
    profile_detail,
    profile_edit,
)
from .moderation import report
from .notifications import stop_digest, unsubscribe, watch

__all__ = [
    "DIRECTORY_PAGE_SIZE",
    "account_delete",
    "apply",
    "member_list",
    "membership_status",
    "my_data",
    "my_data_download",
    "network_home",
    "profile_avatar",
    "profile_detail",
    "profile_edit",
    "report",
    "stop_digest",
    "unsubscribe",
    "watch",
]
