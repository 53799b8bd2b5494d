"""The walk (walking.py) as Lạng Sơn's province administrator."""

from walking import ADMINISTRATOR, media_root, sides, walk_as  # noqa: F401 (media_root and sides are fixtures)


def test_no_admin_screen_shows_or_changes_another_provinces_objects(client, administrator_of, sides, media_root):
    walk_as(ADMINISTRATOR, administrator_of("langson"), client, sides, media_root)
