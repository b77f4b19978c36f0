"""The GraphiQL page (served to browsers on GET /graphql when introspection is on)."""

GRAPHIQL_HTML = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>econ GraphiQL</title>
  <meta name="robots" content="noindex">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3.8.3/graphiql.min.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/graphiql@3.8.3/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
    ReactDOM.createRoot(document.getElementById('graphiql')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery: '# Log in with a demo account (printed by `make run`), then put\\n' +
          '# {"Authorization": "Bearer <token>"} in the headers pane.\\n' +
          'mutation { login(input: {email: "counselor@demo.econ",\\n' +
          '  password: "demo-counselor-pass"}) {\\n' +
          '  token errors { code message } } }\\n',
        shouldPersistHeaders: false,
      }),
    );
  </script>
</body>
</html>
"""
