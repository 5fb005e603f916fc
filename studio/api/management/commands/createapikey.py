"""`python manage.py createapikey USERNAME [--name NAME]`: print a new API key for scripts."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from studio.api.models import ApiKey


class Command(BaseCommand):
    help = "Create an API key for USERNAME and print it (only its hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="manage.py createapikey",
                            help="a name to tell the key apart on the keys page")

    def handle(self, *args, username, name, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        _, raw = ApiKey.issue(user, name)
        self.stdout.write(raw)
