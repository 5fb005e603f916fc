"""PostgreSQL notifies `studio_changed` when a row a poll's answer shows changes, so each
web process can keep answers while nothing has (studio/api/polls.py). Nothing on SQLite."""

from django.db import migrations


def install(apps, schema_editor):
    from studio.api import polls

    polls.install(schema_editor)


def uninstall(apps, schema_editor):
    from studio.api import polls

    polls.uninstall(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0003_apirequest"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("generation", "0008_add_vocals_and_upload_extend_modes"),
        ("library", "0011_search_stored_vector"),
    ]

    operations = [
        migrations.RunPython(install, uninstall),
    ]
