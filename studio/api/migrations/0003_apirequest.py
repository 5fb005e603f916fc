"""The raw API body and base URL move out of Generation.params into their own row, with
why Studio refuses to call a callBackUrl (was `_callback_refused` in params)."""
import django.db.models.deletion
from django.db import migrations, models

REQUEST_KEY, BASE_KEY = "_request", "_base_url"


def move_out(apps, schema_editor):
    Generation = apps.get_model("generation", "Generation")
    ApiRequest = apps.get_model("api", "ApiRequest")
    for generation in Generation.objects.exclude(origin="web").iterator():
        params = dict(generation.params or {})
        if REQUEST_KEY not in params and BASE_KEY not in params:
            continue
        ApiRequest.objects.create(generation=generation, body=params.pop(REQUEST_KEY, {}) or {},
                                  base_url=params.pop(BASE_KEY, "") or "",
                                  callback_refused=params.pop("_callback_refused", "") or "")
        Generation.objects.filter(pk=generation.pk).update(params=params)


def move_back(apps, schema_editor):
    Generation = apps.get_model("generation", "Generation")
    ApiRequest = apps.get_model("api", "ApiRequest")
    for api_request in ApiRequest.objects.iterator():
        generation = Generation.objects.get(pk=api_request.generation_id)
        params = {**(generation.params or {}), REQUEST_KEY: api_request.body,
                  BASE_KEY: api_request.base_url}
        Generation.objects.filter(pk=generation.pk).update(params=params)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0002_callbackdelivery_refused"),
        ("generation", "0003_plan"),
    ]

    operations = [
        migrations.CreateModel(
            name="ApiRequest",
            fields=[
                ("generation", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, primary_key=True,
                    related_name="api_request", serialize=False, to="generation.generation")),
                ("body", models.JSONField(default=dict)),
                ("base_url", models.CharField(max_length=300)),
                ("callback_refused", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(move_out, move_back),
    ]
