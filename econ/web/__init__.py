"""Server-rendered pages: each page a first-party client of the GraphQL API (docs/web.md)."""
