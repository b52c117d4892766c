"""The reference the benchmark measures the project's admin against: Django's plain ModelAdmin
over the same participant table (six columns, a kelurahan filter, search on name and NIK), on its
own admin site, reached only through the benchmark's URL configuration (`benchmarks.urls`)."""

from django.contrib import admin

from participants.models import Participant

site = admin.AdminSite(name="reference")


@admin.register(Participant, site=site)
class PlainParticipantAdmin(admin.ModelAdmin):
    list_display = ("full_name", "nik", "sex", "birth_date", "kelurahan")
    list_filter = ("kelurahan",)
    search_fields = ("full_name", "nik")
