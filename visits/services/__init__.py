"""What changes visits and bookings, one module per part of the work: `booking` (members book and cancel),
`offering` (hosts offer, change, publish, cancel and complete visits), `hosting` (hosts manage their
attendees), `feedback` (after the visit). Each function is one event in one transaction, so calendar invites
can hang on each call."""

from .booking import *  # noqa: F403
from .feedback import *  # noqa: F403
from .hosting import *  # noqa: F403
from .offering import *  # noqa: F403
