from django.apps import AppConfig


class BenchmarksConfig(AppConfig):
    """The benchmarks' own tools (synthetic data at a province's size, the page and Excel
    benchmarks, the plain admin they are compared with): installed for development, the tests and
    the benchmark scripts, never in production (metro_slum/settings.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "benchmarks"
    verbose_name = "Benchmarks"
