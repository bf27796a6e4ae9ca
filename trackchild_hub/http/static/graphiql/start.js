// Starts GraphiQL against the page's own URL. A file, not an inline script, so the page's
// Content-Security-Policy can allow scripts from this origin only.
(function () {
  "use strict";

  var EXAMPLE_QUERY = [
    "# TrackChild Hub. Most fields need a token: in Headers below, put",
    '#   {"Authorization": "Bearer <token>"}',
    "# with a token from: trackchild-hub token --client demo-police --state 19",
    "",
    "{",
    "  states { code name }",
    "}",
    "",
  ].join("\n");

  var parameters = new URLSearchParams(window.location.search);
  var url = window.location.href.split("?")[0];
  var fetcher = GraphiQL.createFetcher({ url: url });

  function remember(name, value) {
    if (value) {
      parameters.set(name, value);
    } else {
      parameters.delete(name);
    }
    var search = parameters.toString();
    history.replaceState(null, "", search ? "?" + search : window.location.pathname);
  }

  function Page() {
    var explorer = React.useMemo(function () {
      return GraphiQLPluginExplorer.explorerPlugin();
    }, []);
    return React.createElement(GraphiQL, {
      fetcher: fetcher,
      plugins: [explorer],
      defaultQuery: EXAMPLE_QUERY,
      query: parameters.get("query") || undefined,
      variables: parameters.get("variables") || undefined,
      onEditQuery: function (query) {
        remember("query", query);
      },
      onEditVariables: function (variables) {
        remember("variables", variables);
      },
      defaultEditorToolsVisibility: true,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      inputValueDeprecation: true,
    });
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(Page));
})();
