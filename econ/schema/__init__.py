"""The GraphQL toolkit the domains' API modules share: context and loaders, errors, inputs,
pagination, scalars, cost limits. The schema itself is assembled in `econ/schema_root.py`."""
