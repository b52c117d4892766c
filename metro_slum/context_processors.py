from django.utils.functional import SimpleLazyObject


def unread_notices(request):
    """How many of the user's notices are unread, for the menu: counted only where a page shows
    it (one small query), never on the admin's pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from metro_slum.notices import unread_count

    return {"unread_notices": SimpleLazyObject(lambda: unread_count(user))}
