def unread_notices(request):
    """How many of the user's notices are unread, for the menu (one small query a page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from metro_slum.notices import unread_count

    return {"unread_notices": unread_count(user)}
