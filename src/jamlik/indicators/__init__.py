"""Situation picture."""
