"""An email backend that writes every message to the outbox instead of sending it."""

from django.core.mail.backends.base import BaseEmailBackend

from .outbox import queue_message


class OutboxBackend(BaseEmailBackend):
    """Set as EMAIL_BACKEND so Django, allauth and Wagtail mail goes through the outbox too."""

    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            queue_message(message)
        return len(email_messages)
