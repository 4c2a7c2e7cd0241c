-- wrk script for scripts/bench-pages.sh: each request searches the website for another
-- pair of words of the synthetic data's vocabulary (kb-store's seed/synthetic.rs), one of
-- 432 pairs picked at random, so no two requests in a row ask the same search.
local adjectives = {"samen", "sterk", "open", "veilig", "gezond", "verbonden", "actief",
  "bewust", "digitaal", "positief", "krachtig", "groen"}
local nouns = {"studeren", "netwerk", "gesprek", "kompas", "lab", "atelier", "academie",
  "pad", "huis", "programma", "route", "kring"}
local places = {"veenhoven", "lindeburg", "zandwijk", "oosterkamp", "weidemond", "hogeveld",
  "bergdaal", "rietvoorde", "duinstede", "brugmeer", "kleihaven", "heidebeek"}
local pairs = {{adjectives, nouns}, {adjectives, places}, {nouns, places}}

-- Each wrk thread has its own Lua state; seed each differently.
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)

request = function()
  local pair = pairs[math.random(#pairs)]
  local a = pair[1][math.random(#pair[1])]
  local b = pair[2][math.random(#pair[2])]
  return wrk.format("GET", "/zoeken?q=" .. a .. "+" .. b)
end
