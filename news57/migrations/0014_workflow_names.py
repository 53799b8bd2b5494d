"""Agencies' workflows named as a process ("Quy trình duyệt tin – …"), read after Wagtail's "Gửi duyệt theo …";
the older name "Phê duyệt – …" made the editor's submit button read as approving. The names Wagtail's own
migrations give in English, shown to editors as data: the root collection and the default workflow and task."""

from django.db import migrations

OLD, NEW = "Phê duyệt – ", "Quy trình duyệt tin – "
WAGTAIL_NAMES = {  # (app, model, English name): Vietnamese name
    ("wagtailcore", "Collection", "Root"): "Thư mục gốc",
    ("wagtailcore", "Workflow", "Moderators approval"): "Quy trình duyệt tin chung",
    ("wagtailcore", "Task", "Moderators approval"): "Kiểm duyệt chung",
    ("auth", "Group", "Moderators"): "Người kiểm duyệt",
    ("auth", "Group", "Editors"): "Biên tập viên",
}


def rename(apps, old, new, names):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    for workflow in Workflow.objects.filter(name__startswith=old):
        workflow.name = new + workflow.name[len(old):]
        workflow.save(update_fields=["name"])
    for (app, model), (before, after) in names:
        apps.get_model(app, model).objects.filter(name=before).update(name=after)


def forwards(apps, schema_editor):
    rename(apps, OLD, NEW, [((app, model), (en, vi)) for (app, model, en), vi in WAGTAIL_NAMES.items()])


def backwards(apps, schema_editor):
    rename(apps, NEW, OLD, [((app, model), (vi, en)) for (app, model, en), vi in WAGTAIL_NAMES.items()])


class Migration(migrations.Migration):
    dependencies = [
        ("news57", "0013_publication_changed_at"),
        ("wagtailcore", "0098_apitoken"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
