"""What comes in: fetch (guarded, conditional GET) -> parse (feedparser) -> sanitize (bleach) -> store.

`poll` runs the steps for one source and hands what it stored to republishing's fan-out.
"""
