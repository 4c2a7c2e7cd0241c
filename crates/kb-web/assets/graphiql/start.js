// Starts GraphiQL over the API at /graphql on this server. A file rather than an inline
// script, so the page's Content-Security-Policy can refuse every inline script.
(function () {
  'use strict';
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: '{\n  themes { code label }\n  initiatives(first: 5) { totalCount nodes { slug title } }\n}\n',
    }),
  );
})();
