from django.urls import path

from . import views

app_name = "connections"
urlpatterns = [
    path("engines/", views.index, name="index"),
    path("engines/<int:pk>/test", views.test, name="test"),
    path("engines/<int:pk>/webhook-key", views.webhook_key, name="webhook_key"),
    path("engines/<int:pk>/remove", views.remove, name="remove"),
    path("engines/default", views.choose_default, name="default"),
    path("engines/callbacks/<str:token>", views.callback, name="callback"),
    path("engines/callbacks/derived/<str:token>", views.derived_callback,
         name="derived_callback"),
]
