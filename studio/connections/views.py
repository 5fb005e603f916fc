"""The Engines page (add, test, remove your connections; choose your default engine), and
the public endpoint where vendors call back."""
from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from studio.engines.upstream import VendorError

from . import capability, tracking, webhooks
from .forms import ConnectionForm, WebhookKeyForm
from .models import Connection, DefaultEngine, KeyUnreadable, UpstreamTask

MAX_CALLBACK = 512 * 1024


def _page(request, form, status=200):
    default = capability.default_for(request.user)
    return render(request, "connections/engines.html", {
        "form": form,
        "own": Connection.objects.owned_by(request.user),
        "shared": Connection.objects.usable_by(request.user).filter(owner__isnull=True),
        "choices": capability.choices(request.user),
        "default": str(default.pk) if default else capability.LOCAL,
    }, status=status)


@require_http_methods(["GET", "POST"])
def index(request):
    if request.method == "POST":
        form = ConnectionForm(request.POST, owner=request.user)
        if form.is_valid():
            connection = form.save()
            messages.success(request, f"Added “{connection.name}”. Test it to see its credits.")
            return redirect("connections:index")
        return _page(request, form, status=422)
    return _page(request, ConnectionForm(owner=request.user))


@require_POST
def test(request, pk):
    """Call the vendor's credit endpoint: proves the URL and key, and shows the balance."""
    connection = get_object_or_404(Connection.objects.usable_by(request.user), pk=pk)
    try:
        credits = connection.engine(backoff=()).credits()
    except (VendorError, KeyUnreadable) as problem:
        connection.test_error = getattr(problem, "message", str(problem))[:2000]
        connection.credits = None
        messages.error(request, f"{connection.name}: {connection.test_error}")
    else:
        connection.test_error, connection.credits = "", credits
        messages.success(request, f"{connection.name} works: " + (
            f"{credits:,} credits left." if credits is not None
            else "the key is accepted (this API does not report credits)."))
    connection.tested_at = timezone.now()
    connection.save(update_fields=["test_error", "credits", "tested_at"])
    return redirect("connections:index")


@require_POST
def remove(request, pk):
    connection = get_object_or_404(Connection.objects.owned_by(request.user), pk=pk)
    connection.removed_at = timezone.now()
    connection.save(update_fields=["removed_at"])
    messages.success(request, f"Removed “{connection.name}”. Songs in flight through it are "
                              "still followed to the end.")
    return redirect("connections:index")


@require_POST
def webhook_key(request, pk):
    """Set (or clear, when blank) the key a vendor signs its callbacks with."""
    connection = get_object_or_404(Connection.objects.owned_by(request.user), pk=pk)
    form = WebhookKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{connection.name}: " + " ".join(form.errors["webhook_key"]))
        return redirect("connections:index")
    connection.set_webhook_key(form.cleaned_data["webhook_key"])
    connection.save(update_fields=["webhook_key_encrypted"])
    messages.success(request, f"{connection.name}: " + (
        "callbacks must now be signed with this key." if form.cleaned_data["webhook_key"]
        else "callbacks are no longer checked for a signature."))
    return redirect("connections:index")


@require_POST
def choose_default(request):
    value = request.POST.get("engine", capability.LOCAL)
    try:
        connection = capability.connection_of(request.user, value)
    except LookupError as problem:
        messages.error(request, str(problem))
        return redirect("connections:index")
    DefaultEngine.objects.update_or_create(owner=request.user,
                                           defaults={"connection": connection})
    name = connection.name if connection else "Local"
    messages.success(request, f"Your API requests now go to {name}.")
    return redirect("connections:index")


@login_not_required
@csrf_exempt
@require_POST
def callback(request, token):
    """A vendor reports a stage. The unguessable token in the URL names the generation; the
    body must name the same vendor task. Merged before the vendor is answered (a few rows:
    files are kept by a job)."""
    task = UpstreamTask.objects.select_related("connection", "generation").filter(
        callback_token=token).first()
    if task is None:
        return JsonResponse({"code": 404, "msg": "unknown callback"}, status=404)
    if len(request.body) > MAX_CALLBACK:
        return JsonResponse({"code": 413, "msg": "callback too large"}, status=413)
    try:
        payload = json.loads(request.body)
        key = task.connection.webhook_key()
        if key:  # checked before anything is read from the body: a forgery moves nothing
            webhooks.verify(key, payload, request.headers)
        event = task.connection.engine().from_callback(payload)
    except webhooks.Refused as refused:
        return JsonResponse({"code": 401, "msg": f"callback refused: {refused}"}, status=401)
    except (ValueError, UnicodeDecodeError, VendorError, KeyUnreadable):
        return JsonResponse({"code": 400, "msg": "not a callback Studio reads"}, status=400)
    if not task.vendor_task_id or event.task_id != task.vendor_task_id:
        return JsonResponse({"code": 403, "msg": "the callback names another task"},
                            status=403)
    tracking.callback_arrived(task, event, payload)
    return JsonResponse({"code": 200, "msg": "received"})


@login_not_required
@csrf_exempt
@require_POST
def derived_callback(request, token):
    """A vendor says a WAV or stems it was asked for are ready: Studio looks now rather than
    at the next poll. The signed token names the request; what was made is read from the
    vendor with Studio's own key, so the body is not trusted and a forgery changes nothing."""
    from django.conf import settings

    from studio import delayed
    from studio.connections.derived import step_for_token

    named = step_for_token(token)
    if named is None:
        return JsonResponse({"code": 404, "msg": "unknown callback"}, status=404)
    job, row_id = named
    delayed.run(job, row_id, sync=settings.JOBS_SYNC, task_name=f"callback-{row_id}")
    return JsonResponse({"code": 200, "msg": "received"})
