"""The walk (walking.py) as Thanh tra tỉnh Lạng Sơn's leader."""

from walking import LEADER, OWN, media_root, sides, walk_as  # noqa: F401 (media_root and sides are fixtures)


def test_no_admin_screen_shows_or_changes_another_provinces_objects(client, leader_of, sides, media_root):
    walk_as(LEADER, leader_of(OWN), client, sides, media_root)
