"""English pages read and take dates day first too: the office is in Indonesia (see ../id)."""

from metro_slum.formats.id.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
