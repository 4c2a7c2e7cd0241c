// Suggestions for the search box, as progressive enhancement: without this script the
// search form works the same. It asks the site's own GraphQL API (`suggest`) and fills
// the input's <datalist>, which browsers show under the box.
(function () {
  'use strict';
  var query = 'query Suggest($prefix: String!) { suggest(prefix: $prefix, first: 8) { text } }';
  function attach(input) {
    var list = document.getElementById(input.getAttribute('data-suggest'));
    if (!list) return;
    // `asked` counts the requests: an answer to any but the latest is dropped, so a slow
    // answer for an earlier prefix never replaces the list of a later one.
    var timer = null, last = '', asked = 0;
    input.addEventListener('input', function () {
      var prefix = input.value.trim();
      if (prefix.length < 2 || prefix === last) return;
      clearTimeout(timer);
      timer = setTimeout(function () {
        last = prefix;
        var mine = ++asked;
        fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: query, variables: { prefix: prefix }, operationName: 'Suggest' })
        }).then(function (r) { return r.json(); }).then(function (body) {
          if (mine !== asked) return;
          var items = (body && body.data && body.data.suggest) || [];
          while (list.firstChild) list.removeChild(list.firstChild);
          items.forEach(function (s) {
            var option = document.createElement('option');
            option.value = s.text;
            list.appendChild(option);
          });
        }).catch(function () { /* suggestions are optional */ });
      }, 150);
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    Array.prototype.forEach.call(document.querySelectorAll('input[data-suggest]'), attach);
  });
})();
