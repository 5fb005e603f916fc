from django.urls import include, path

from studio.web import views as web

urlpatterns = [
    path("accounts/signup/", web.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("studio.api.urls")),
    path("", include("studio.generation.urls")),
    path("", include("studio.library.urls")),
    path("", include("studio.connections.urls")),
]
