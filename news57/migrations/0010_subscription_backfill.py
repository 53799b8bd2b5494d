from django.db import migrations, models


class Migration(migrations.Migration):
    """Backfill progress on the subscription. Existing rows keep state "" (backfilled before it was recorded)."""

    dependencies = [
        ("news57", "0009_authority"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="backfill_state",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "Not run"),
                    ("queued", "Waiting to run"),
                    ("running", "In progress"),
                    ("done", "Finished"),
                    ("failed", "Stopped by an error"),
                ],
                default="",
                editable=False,
                max_length=20,
                verbose_name="backfill",
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="backfill_cursor",
            field=models.BigIntegerField(
                blank=True,
                editable=False,
                help_text="The last document id backfilled.",
                null=True,
                verbose_name="backfill cursor",
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="backfill_done",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="documents backfilled"),
        ),
        migrations.AddField(
            model_name="subscription",
            name="backfill_total",
            field=models.PositiveIntegerField(
                blank=True, editable=False, null=True, verbose_name="documents to backfill"
            ),
        ),
        migrations.AddField(
            model_name="subscription",
            name="backfill_started_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="backfill started"),
        ),
        migrations.AddField(
            model_name="subscription",
            name="backfill_finished_at",
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name="backfill finished"),
        ),
        migrations.AddField(
            model_name="subscription",
            name="backfill_error",
            field=models.TextField(blank=True, editable=False, verbose_name="backfill error"),
        ),
    ]
