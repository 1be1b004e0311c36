from __future__ import annotations

from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path


def _needs_mail(view: Any) -> Any:
    """Offer a password reset page only when a mail server is configured (EMAIL_HOST)."""

    @wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if not settings.EMAIL_HOST:
            raise Http404("password reset needs a mail server (EMAIL_HOST)")
        return view(request, *args, **kwargs)

    return wrapped


#: django.contrib.auth.urls, with the password reset pages behind _needs_mail.
account_urls = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password_reset/",
        _needs_mail(auth_views.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password_reset/done/",
        _needs_mail(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        _needs_mail(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        _needs_mail(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include(account_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("rightstrack.api.urls")),
    path("", include("rightstrack.analysis.urls")),
    path("", include("rightstrack.deadlines.urls")),
    path("", include("rightstrack.plans.urls")),
    path("", include("rightstrack.front.urls")),
]
