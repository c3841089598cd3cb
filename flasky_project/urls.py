"""The site's URLs. The project-level names here belong to pages composed from several apps."""

from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path, register_converter
from django.utils.translation import gettext_lazy
from django.views.static import serve

from blog import views as blog_views
from flasky_project import views
from flasky_project.converters import IdConverter
from talks import views as talks_views

# <id:pk> in every app's urls.py: registered before they are included below.
register_converter(IdConverter, "id")

admin.site.login = secure_admin_login(admin.site.login)
admin.site.site_header = admin.site.site_title = gettext_lazy("Flasky administration")

urlpatterns = [
    path("", blog_views.index, name="home"),
    # The profile lists the user's talks and posts: the talks app composes it (accounts, social, blog, talks).
    # It and search come first: Django tries the patterns in order, and after the apps' ninety it spent a
    # tenth of a millisecond of every profile finding it (no app's pattern matches either address).
    path("user/<str:username>/", talks_views.profile, name="profile"),
    path("search/", blog_views.search, name="search"),
    path("favicon.ico", views.favicon),
    path("healthz", views.health, name="health"),
    path("theme/", views.set_theme, name="set_theme"),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
    path("auth/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("social.urls")),
    path("", include("blog.urls")),
    path("", include("talks.urls")),
    path("", include("schedule.urls")),
    path("", include("moderation.urls")),
]

if settings.SERVE_MEDIA:
    # Development and tests only: in production the web server (nginx) serves uploads.
    urlpatterns += [re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "flasky_project.errors.bad_request"
handler403 = "flasky_project.errors.permission_denied"
handler404 = "flasky_project.errors.page_not_found"
handler429 = "flasky_project.errors.too_many_requests"
handler500 = "flasky_project.errors.server_error"
