from django.urls import include, path

from studio.web import accounts, health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("accounts/signup/", accounts.signup, name="signup"),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/password_reset/", accounts.password_reset, name="password_reset"),
    path("accounts/password_reset/done/", accounts.password_reset_done,
         name="password_reset_done"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("studio.api.urls")),
    path("", include("studio.generation.urls")),
    path("", include("studio.library.urls")),
    path("", include("studio.connections.urls")),
]

# A failure of ours: logged with its traceback by Django, told in words to the user.
handler500 = "studio.web.failures.server_error"
