"""What several admin pages share."""


class ReadOnlyAdminMixin:
    """A record that is read in admin and changed only through its services (or not at all)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
