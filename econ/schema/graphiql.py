"""The GraphiQL page (served to browsers on GET /graphql when introspection is on).

Everything it loads comes from this server: GraphiQL, React and ReactDOM from the installed
`graphene-django-graphiql-static` package (only its static files are used, not Django), the
start-up script and style from `graphiql_assets/`. The page has no inline script or style,
so it works under the strict Content-Security-Policy (econ/headers.py) and offline.
"""

from __future__ import annotations

from importlib.resources import files

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

ASSET_PREFIX = "/graphiql/assets/"
_VENDOR = files("graphene_django_graphiql_static") / "static" / "graphene_django_graphiql_static"
_OWN = files("econ.schema") / "graphiql_assets"
# name -> (where it is, media type); nothing else is served under the prefix.
ASSETS = {
    "graphiql.min.css": (_VENDOR / "graphiql.min.css", "text/css"),
    "graphiql.min.js": (_VENDOR / "graphiql.min.js", "text/javascript"),
    "react.production.min.js": (_VENDOR / "react.production.min.js", "text/javascript"),
    "react-dom.production.min.js": (_VENDOR / "react-dom.production.min.js", "text/javascript"),
    "econ-graphiql.css": (_OWN / "econ-graphiql.css", "text/css"),
    "econ-graphiql.js": (_OWN / "econ-graphiql.js", "text/javascript"),
}

GRAPHIQL_HTML = f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>econ GraphiQL</title>
  <meta name="robots" content="noindex">
  <link rel="stylesheet" href="{ASSET_PREFIX}graphiql.min.css">
  <link rel="stylesheet" href="{ASSET_PREFIX}econ-graphiql.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="{ASSET_PREFIX}react.production.min.js"></script>
  <script src="{ASSET_PREFIX}react-dom.production.min.js"></script>
  <script src="{ASSET_PREFIX}graphiql.min.js"></script>
  <script src="{ASSET_PREFIX}econ-graphiql.js"></script>
</body>
</html>
"""


async def graphiql_asset(request: Request) -> Response:
    found = ASSETS.get(request.path_params["name"])
    if found is None:
        return PlainTextResponse("not found", 404)
    path, media_type = found
    return Response(path.read_bytes(), media_type=media_type)
