from django.db import migrations
from django.db.models import OuterRef, Subquery


def name_sites_after_their_agencies(apps, schema_editor):
    """Public pages now head with the site's name: make it the agency's wherever a rename left them apart."""
    Site = apps.get_model("wagtailcore", "Site")
    Agency = apps.get_model("news57", "Agency")
    names = Agency.objects.filter(site=OuterRef("pk")).values("name")[:1]
    Site.objects.filter(agency__isnull=False).update(site_name=Subquery(names))


class Migration(migrations.Migration):
    dependencies = [
        ("news57", "0014_workflow_names"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [migrations.RunPython(name_sites_after_their_agencies, migrations.RunPython.noop)]
