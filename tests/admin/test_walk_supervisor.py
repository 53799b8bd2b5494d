"""The walk (walking.py) as Lạng Sơn's provincial supervisor."""

from walking import SUPERVISOR, media_root, sides, walk_as  # noqa: F401 (media_root and sides are fixtures)


def test_no_admin_screen_shows_or_changes_another_provinces_objects(client, supervisor_of, sides, media_root):
    walk_as(SUPERVISOR, supervisor_of("langson"), client, sides, media_root)
