-- wrk script: each request searches for another pair of words of the synthetic data's
-- vocabulary (kb-store's seed/synthetic.rs), one of 432 pairs picked at random, so no two
-- requests in a row ask the same search.
--
-- By default it asks the website's search page (scripts/bench-pages.sh uses it so). With
-- SEARCH_VIA=graphql it POSTs to /graphql the benchmark's `search with facets` query
-- (crates/kb-server/examples/bench/operations.rs) with that pair as its text:
--   SEARCH_VIA=graphql wrk -t2 -c4 -d8s --latency -s scripts/wrk/search-pairs.lua http://HOST:PORT/
local adjectives = {"samen", "sterk", "open", "veilig", "gezond", "verbonden", "actief",
  "bewust", "digitaal", "positief", "krachtig", "groen"}
local nouns = {"studeren", "netwerk", "gesprek", "kompas", "lab", "atelier", "academie",
  "pad", "huis", "programma", "route", "kring"}
local places = {"veenhoven", "lindeburg", "zandwijk", "oosterkamp", "weidemond", "hogeveld",
  "bergdaal", "rietvoorde", "duinstede", "brugmeer", "kleihaven", "heidebeek"}
local pairs = {{adjectives, nouns}, {adjectives, places}, {nouns, places}}
local via_graphql = os.getenv("SEARCH_VIA") == "graphql"

-- Each wrk thread has its own Lua state; seed each differently.
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

request = function()
  local pair = pairs[math.random(#pairs)]
  local a = pair[1][math.random(#pair[1])]
  local b = pair[2][math.random(#pair[2])]
  if not via_graphql then
    return wrk.format("GET", "/zoeken?q=" .. a .. "+" .. b)
  end
  local body = '{"query":"{ search(query: \\"' .. a .. " " .. b .. '\\", filter: { kinds: '
    .. '[TRAINING, TOOL, GUIDE], regions: [UTRECHT, ZEELAND, FRIESLAND] }, first: 10) { '
    .. 'totalCount nodes { score initiative { title } } facets { kinds { value count } '
    .. 'regions { value count } topics { value { code } count } } } }"}'
  return wrk.format("POST", "/graphql", {["Content-Type"] = "application/json"}, body)
end
