// Starts GraphiQL (React 17 build) against this page's own /graphql; no external requests.
(function () {
  "use strict";
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var defaultQuery =
    "# Log in with a demo account (printed by `make run`), then put\n" +
    '# {"Authorization": "Bearer <token>"} in the headers pane.\n' +
    'mutation { login(input: {email: "counselor@demo.econ",\n' +
    '  password: "demo-counselor-pass"}) {\n' +
    "  token errors { code message } } }\n";
  ReactDOM.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      shouldPersistHeaders: false,
    }),
    document.getElementById("graphiql")
  );
})();
