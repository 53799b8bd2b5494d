"""How promptly agencies carry what they must: working-day calendars, deadlines, warnings, figures."""
