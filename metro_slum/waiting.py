"""One count of the work that waits, as the home page and the admin index show it: the item (its
key and label), how many, and where the same records are listed (the portal's list filtered by
the item, and the admin's changelist where the item names one)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Waiting:
    item: object
    count: int
    # The portal page that lists the item's records (?perlu=<key>).
    list_name: str

    @property
    def url(self) -> str:
        return reverse(self.list_name) + "?" + urlencode({"perlu": self.item.key})

    @property
    def admin_url(self) -> str | None:
        admin = getattr(self.item, "admin", None)
        if admin is None:
            return None
        name, filters = admin
        return reverse(name) + "?" + urlencode(filters)
