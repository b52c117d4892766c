"""Whether the page is read in another language than the office's: then what the office keeps
in Indonesian as data (a notice, the slum method's names, a class) is shown in English where it
is kept in English too."""

from django.conf import settings
from django.utils.translation import get_language


def reads_another_language() -> bool:
    office = settings.LANGUAGE_CODE[:2]
    return not (get_language() or settings.LANGUAGE_CODE).startswith(office)
