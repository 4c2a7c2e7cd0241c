-- wrk script: each request POSTs to /graphql the benchmark's `search with facets` query
-- (crates/kb-server/examples/bench/operations.rs) for another pair of words of the
-- synthetic data's vocabulary, one of 432 picked at random, with its filter and facets.
-- Usage: wrk -t2 -c4 -d8s --latency -s scripts/wrk/graphql-search-pairs.lua http://HOST:PORT/
local adjectives = {"samen", "sterk", "open", "veilig", "gezond", "verbonden", "actief",
  "bewust", "digitaal", "positief", "krachtig", "groen"}
local nouns = {"studeren", "netwerk", "gesprek", "kompas", "lab", "atelier", "academie",
  "pad", "huis", "programma", "route", "kring"}
local places = {"veenhoven", "lindeburg", "zandwijk", "oosterkamp", "weidemond", "hogeveld",
  "bergdaal", "rietvoorde", "duinstede", "brugmeer", "kleihaven", "heidebeek"}
local pairs = {{adjectives, nouns}, {adjectives, places}, {nouns, places}}

math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

request = function()
  local pair = pairs[math.random(#pairs)]
  local q = pair[1][math.random(#pair[1])] .. " " .. pair[2][math.random(#pair[2])]
  local body = '{"query":"{ search(query: \\"' .. q .. '\\", filter: { kinds: [TRAINING, TOOL, GUIDE], '
    .. 'regions: [UTRECHT, ZEELAND, FRIESLAND] }, first: 10) { totalCount nodes { score '
    .. 'initiative { title } } facets { kinds { value count } regions { value count } '
    .. 'topics { value { code } count } } } }"}'
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, body)
end
