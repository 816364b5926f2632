from django.db import migrations


def revoke(apps, schema_editor):
    # Editing user records in Wagtail's user admin would let a moderator make anyone a superuser or change
    # a superuser's address; moderators manage members through their profiles (moderate_profile) instead.
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators:
        moderators.permissions.remove(
            *Permission.objects.filter(content_type__app_label="auth", codename__in=["change_user", "view_user"])
        )


class Migration(migrations.Migration):
    dependencies = [("network", "0005_moderation_permissions")]
    operations = [migrations.RunPython(revoke, migrations.RunPython.noop)]
