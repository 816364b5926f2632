from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = ["add_category", "change_category", "delete_category", "view_category"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("network_forum")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    moderators, _ = Group.objects.get_or_create(name="Moderators")
    moderators.permissions.add(
        *Permission.objects.filter(content_type__app_label="network_forum", codename__in=PERMISSIONS)
    )


class Migration(migrations.Migration):
    dependencies = [("network_forum", "0001_forum"), ("network", "0002_roles")]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
