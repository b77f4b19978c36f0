"""Users, roles, sessions, permissions, audit and field encryption."""
