from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    roles = {
        "Members": [],
        "Hosts": [],
        # Editors: Wagtail's own group already edits pages, images and documents.
        "Moderators": [
            "wagtailadmin.access_admin",
            "auth.view_user",
            "auth.change_user",
            "network.view_outboxmessage",
            "network.retry_outboxmessage",
        ],
    }
    for name, perms in roles.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_outbox"),
        ("auth", "0012_alter_user_first_name_max_length"),
        # After Wagtail's own groups and their admin access exist (not "__latest__": an applied migration
        # that names Wagtail's latest breaks `migrate` as soon as a Wagtail release adds one).
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
