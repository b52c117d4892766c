"""Settings for the test suite: the normal settings with a fast password hasher."""

from metro_slum.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "id"
# Static files are found in static/ by the finders; nothing is collected for the tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
