from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import TemplateView

from metro_slum.forms import LoginForm
from metro_slum.health import health


def favicon(request):
    """The icon's address is looked up per request: it has its hashed name once collected."""
    return HttpResponseRedirect(static("favicon.svg"))


urlpatterns = [
    path("health/", health, name="health"),
    # Browsers ask for /favicon.ico whatever the page says: the office's icon, not a 404.
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "lupa-sandi/",
        TemplateView.as_view(template_name="registration/password_help.html"),
        name="password_help",
    ),
    path("", include("programme.hub_urls")),
    path("", include("programme.urls")),
    path("", include("assessments.urls")),
    path("", include("grants.urls")),
    path("", include("families.urls")),
    path("", include("complaints.urls")),
    path("", include("slums.urls")),
    path("", include("participants.urls")),
]
