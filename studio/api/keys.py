"""The keys page (a signed-in browser page): make, name and revoke API keys, see the webhook
secret that signs callbacks, and the callback deliveries that failed."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from . import files
from .models import ApiKey, CallbackDelivery, WebhookSecret

RECENT_DELIVERIES = 20


def _page(request, *, new_key: str = "", new_secret: str = "", status: int = 200):
    first_visit = not WebhookSecret.objects.filter(owner=request.user).exists()
    secret = WebhookSecret.for_user(request.user)
    deliveries = (CallbackDelivery.objects.owned_by(request.user)
                  .select_related("generation")[:RECENT_DELIVERIES])
    return render(request, "api/keys.html", {
        "keys": ApiKey.objects.owned_by(request.user),
        "new_key": new_key,
        "webhook_secret": secret,
        # Shown once, when it is made (first visit or rotation), like a new key.
        "shown_secret": new_secret or (secret.secret if first_visit else ""),
        "deliveries": deliveries,
        "failed_count": CallbackDelivery.objects.owned_by(request.user).failed().count(),
        "base_url": files.base(request),
    }, status=status)


@never_cache  # the page shows a new key or secret: no cache, shared or private, keeps it
@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        name = request.POST.get("name", "").strip()[:100] or "API key"
        _, raw = ApiKey.issue(request.user, name)
        # Shown in this response only: Studio keeps just its hash.
        return _page(request, new_key=raw, status=201)
    return _page(request)


@require_POST
def revoke(request, pk):
    key = get_object_or_404(ApiKey.objects.owned_by(request.user), pk=pk)
    key.revoke()
    messages.success(request, f"Revoked “{key.name}”. Requests with it now get code 401.")
    return redirect("api:keys")


@never_cache
@require_http_methods(["GET", "POST"])
def rotate_secret(request):
    """Replace the webhook secret. A GET asks first: the old secret stops working at once,
    and receivers that check it refuse every callback until they are given the new one."""
    if request.method == "GET":
        secret = WebhookSecret.objects.filter(owner=request.user).first()
        if secret is None:  # nothing to replace: the keys page shows the first one
            return redirect("api:keys")
        return render(request, "api/rotate_secret.html", {"webhook_secret": secret})
    secret = WebhookSecret.for_user(request.user)
    secret.rotate()
    messages.success(request, "New webhook secret: callbacks are signed with it from now on, "
                              "and the old one no longer works.")
    return _page(request, new_secret=secret.secret)
