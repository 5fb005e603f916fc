from django.db import models
from django.utils import timezone


class Attempt(models.Model):
    """A failed sign-in, a sign-up or a password-reset request, kept for a day so the
    throttle (studio.web.throttle) counts them across every web process."""

    class Kind(models.TextChoices):
        FAILED_LOGIN = "login", "Failed sign-in"
        SIGNUP = "signup", "Sign-up"
        RESET = "reset", "Password reset"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    account = models.CharField(max_length=150, blank=True)
    address = models.CharField(max_length=45)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "account", "at"]),
                   models.Index(fields=["kind", "address", "at"])]

    def __str__(self):
        return f"{self.kind} {self.account or '-'} from {self.address}"
