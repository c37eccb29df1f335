"""Jämlik."""
