from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Dinas Sosial Kota Metro")
admin.site.site_title = _("Slum-area programme")
admin.site.index_title = _("Programme administration")

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
