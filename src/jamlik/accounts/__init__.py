"""Users and their roles, scoped to areas; object-level permissions with ``rules``."""
