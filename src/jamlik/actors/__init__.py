"""Actor map."""
