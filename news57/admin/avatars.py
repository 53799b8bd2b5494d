"""Editors' avatars as their initials on a colour of their own, drawn here: nothing asks Gravatar or any other
site for a picture keyed by an editor's e-mail (settings: WAGTAIL_GRAVATAR_PROVIDER_URL = None).

An avatar the editor uploaded in their account settings is still shown (Wagtail does that when this returns
None)."""

import hashlib
from urllib.parse import quote

from django.utils.html import escape

# Dark enough for white letters to pass WCAG AA contrast (4.5:1) on each.
COLOURS = ("#1d4e89", "#7a1f5c", "#2b6b3f", "#8a3b12", "#4b3f8f", "#0f5c63", "#6b4e16", "#8b1e2d")


def initials(user):
    """"Nguyễn Văn An" → "NA"; a user with no name gives the first letter of their username."""
    names = [part for part in f"{user.first_name} {user.last_name}".split() if part]
    if not names:
        return (user.get_username()[:1] or "?").upper()
    return (names[0][0] + (names[-1][0] if len(names) > 1 else "")).upper()


def avatar_svg(user, size):
    colour = COLOURS[int(hashlib.sha256(user.get_username().encode()).hexdigest(), 16) % len(COLOURS)]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 100 100">'
        f'<rect width="100" height="100" fill="{colour}"/>'
        f'<text x="50" y="50" dy=".35em" text-anchor="middle" font-family="sans-serif" font-size="42" '
        f'fill="#ffffff">{escape(initials(user))}</text></svg>'
    )


def avatar_url(user, size=50):
    """Wagtail's get_avatar_url hook: the initials as a data: URL, or None to show the editor's own upload (or, for
    an entry no one made, such as a scheduled publish, Wagtail's own default picture)."""
    if not hasattr(user, "get_username"):  # no one (a scheduled publish), or a bare id from Wagtail's aging pages
        return None
    profile = getattr(user, "wagtail_userprofile", None)
    if profile is not None and profile.avatar:
        return None
    return "data:image/svg+xml," + quote(avatar_svg(user, size))
