from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.models import ReferenceIndex
        from wagtail.signals import page_published

        def index_references_now(sender, instance, **kwargs):
            # Which pages use a document decides who may download it (see wagtail_hooks); do not wait for
            # the background task to learn that a members-only page now links to one.
            ReferenceIndex.create_or_update_for_object(instance)

        page_published.connect(index_references_now, dispatch_uid="cms.index_references_now")
