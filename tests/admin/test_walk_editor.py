"""The walk (walking.py) as Thanh tra tỉnh Lạng Sơn's editor."""

from walking import EDITOR, OWN, media_root, sides, walk_as  # noqa: F401 (media_root and sides are fixtures)


def test_no_admin_screen_shows_or_changes_another_provinces_objects(client, editor_of, sides, media_root):
    walk_as(EDITOR, editor_of(OWN), client, sides, media_root)
