"""Plans and prevention."""
