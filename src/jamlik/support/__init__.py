"""Support ladder."""
