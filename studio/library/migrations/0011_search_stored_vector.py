"""Search on PostgreSQL reads a stored, trigger-kept tsvector column (with its GIN index, and
one over title and style alone) instead of recomputing each match's vector from its text
(studio/library/search.py); the old expression index goes. Nothing changes on SQLite.
search.install() is idempotent: a database that ran 0006 with it already has all this."""

from django.db import migrations


def install(apps, schema_editor):
    from studio.library import search

    search.install(schema_editor, apps.get_model("library", "Track"))


class Migration(migrations.Migration):

    dependencies = [
        ('library', '0010_music_video_cover_art_vendor_tasks'),
    ]

    operations = [
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
