from django.db import migrations

# The six themes of co-production work the network grew from; editors manage them afterwards.
THEMES = [
    ("community-capacity", "Building on community capacity",
     "Finding, growing and working with the networks, skills and resources a community already has."),
    ("barriers-to-engagement", "Removing barriers to engagement",
     "Better information, new names and less stigma, so people use the support that exists."),
    ("meeting-people-where-they-are", "Meeting people where they are",
     "Moving services to places people already go and feel at ease in."),
    ("new-units-of-support", "New units of support",
     "Working with grandparents, friends and neighbours as well as the person or household."),
    ("rethinking-the-professional", "Rethinking the professional role",
     "Peer support, professionals and non-professionals, formal and informal help, side by side."),
    ("diverse-providers", "A diverse mix of providers",
     "Public, voluntary, private and informal providers working as one system."),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("network", "Theme")
    for order, (slug, name, description) in enumerate(THEMES):
        Theme.objects.get_or_create(slug=slug, defaults={"name": name, "description": description, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("network", "0003_membership")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
