"""Settings for the test suite: the normal settings with a fast password hasher."""

from metro_slum.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LANGUAGE_CODE = "id"
