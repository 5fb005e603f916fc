"""Accounts: sign-up (unless STUDIO_SIGNUP is off), sign-in and password reset, each
throttled (studio.web.throttle) before it costs a password hash or an email."""
from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import login as sign_in
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import throttle


class SignupForm(UserCreationForm):
    """A name and a password, checked by every AUTH_PASSWORD_VALIDATORS (common passwords
    included); an email address only if the musician wants to be able to reset it."""

    email = forms.EmailField(required=False, label="Email (optional)",
                             help_text="Only used to reset a forgotten password.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


def _too_many(request, template: str, form, seconds: int, what: str):
    refusal = f"Too many {what} from here. Try again in {throttle.in_words(seconds)}."
    response = render(request, template, {"form": form, "refusal": refusal,
                                          "signup_open": settings.STUDIO_SIGNUP}, status=429)
    response["Retry-After"] = str(seconds)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def login(request):
    """Django's LoginView, refused without checking the password while the account or the
    address is over its count of failures. Before the first account exists there is nobody
    to log in as: a visitor sent here from the root URL is shown Sign up instead."""
    view = auth_views.LoginView.as_view(extra_context={"signup_open": settings.STUDIO_SIGNUP})
    if request.method != "POST":
        if (request.GET.get("next") == "/" and settings.STUDIO_SIGNUP
                and not get_user_model().objects.exists()):
            return redirect("signup")
        return view(request)
    account = throttle.account_of(request.POST.get("username", ""))
    if seconds := throttle.wait(throttle.LOGIN, request, account):
        return _too_many(request, "registration/login.html", AuthenticationForm(request),
                         seconds, "failed sign-ins")
    response = view(request)
    if response.status_code == 200:  # the form came back: a wrong name or password
        throttle.record(throttle.LOGIN, request, account)
    else:
        throttle.forget(throttle.LOGIN, account)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def signup(request):
    if not settings.STUDIO_SIGNUP:
        raise Http404("Sign-up is closed on this server.")
    if request.user.is_authenticated:
        return redirect("library:index")
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        if seconds := throttle.wait(throttle.SIGNUP, request):
            return _too_many(request, "registration/signup.html", SignupForm(), seconds,
                             "sign-ups")
        throttle.record(throttle.SIGNUP, request)
        if form.is_valid():
            user = form.save()
            sign_in(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("generation:create")
    return render(request, "registration/signup.html", {"form": form})


def mails_out() -> bool:
    """Whether a reset link leaves this server. Without STUDIO_SMTP_HOST it is only printed
    where the server runs (settings.MAILERS): "Check your email" would send the musician to
    wait for a mail that never comes."""
    return not settings.MAILERS["default"]["BACKEND"].endswith(".console.EmailBackend")


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Django's PasswordResetView (it never says whether the address is known), with at
    most a few emails per address per hour."""
    view = auth_views.PasswordResetView.as_view(extra_context={"mails_out": mails_out()})
    if request.method == "POST":
        if seconds := throttle.wait(throttle.RESET, request):
            from django.contrib.auth.forms import PasswordResetForm

            return _too_many(request, "registration/password_reset_form.html",
                             PasswordResetForm(), seconds, "reset requests")
        throttle.record(throttle.RESET, request)
    return view(request)


@login_not_required
@require_http_methods(["GET"])
def password_reset_done(request):
    return auth_views.PasswordResetDoneView.as_view(
        extra_context={"mails_out": mails_out()})(request)
