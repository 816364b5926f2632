"""Background work of the network app (Django Tasks API)."""

from django_tasks import task

from . import outbox


@task()
def deliver_outbox_message(message_id: str) -> bool:
    """Deliver one outbox message; a failure is recorded on the row and rescheduled there."""
    return outbox.deliver(message_id=message_id)
