from django.urls import path

from . import views

app_name = "generation"
urlpatterns = [
    path("create/", views.create, name="create"),
    path("generations/<uuid:pk>/", views.detail, name="detail"),
]
