"""What happens to a stored document next: subscriptions fan it out to the sites that must carry it
(fanout), editors publish, decline or withdraw it there (actions), and what waits for approval (queue)."""
