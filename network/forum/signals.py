"""What follows changes to the forum: kept listings (network.fragments, "forum") go stale on any change to
categories, threads or replies; hiding or restoring recounts what listings show."""

from django.db.models.signals import post_delete, post_save

from network import fragments

from .models import Category, Reply, Thread


def forum_changed(sender, instance=None, update_fields=None, **kwargs) -> None:
    from .services import recount_category, recount_thread, thread_version

    fragments.bump("forum")
    if isinstance(instance, Reply | Thread):  # its thread's kept pages of replies
        fragments.bump(thread_version(instance.thread_id if isinstance(instance, Reply) else instance.pk))
    if update_fields and "hidden_at" in update_fields:
        thread_id = instance.thread_id if isinstance(instance, Reply) else instance.pk
        category_id = instance.thread.category_id if isinstance(instance, Reply) else instance.category_id
        recount_thread(thread_id)
        recount_category(category_id)


for model in (Category, Thread, Reply):
    for signal in (post_save, post_delete):
        signal.connect(forum_changed, sender=model, dispatch_uid=f"network_forum.{signal}.{model.__name__}")
