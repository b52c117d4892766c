"""The table in which the public complaint form's limits per visitor are counted (the
`ratelimit` cache, a database table unless DJANGO_RATELIMIT_CACHE_URL names Redis or memcached):
made by `migrate`, so that a database migrated and nothing more already takes complaints."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("complaints", "0003_verification_answer")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
