from django.db import migrations, models
from django.db.models import F


def keep_first_live_times(apps, schema_editor):
    # The best record there is: a row the old code republished after a withdrawal kept only its latest time
    # (its first is in the publication log, as the timestamp of its first publish entry).
    Publication = apps.get_model("news57", "Publication")
    Publication.objects.filter(published_at__isnull=False, first_published_at__isnull=True).update(
        first_published_at=F("published_at")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("news57", "0007_publication_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="publication",
            name="first_published_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text=(
                    "Set once and never changed: promptness is measured from it, even after withdrawal and "
                    "republishing."
                ),
                null=True,
                verbose_name="first went live",
            ),
        ),
        migrations.RunPython(keep_first_live_times, migrations.RunPython.noop),
    ]
