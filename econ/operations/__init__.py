"""Running a deployment for years: key rotation, backup and restore, observability.

This package sits above every domain (it knows where each domain keeps sealed values)
and is used by the `econ` command and the HTTP service, never by a domain.
"""
