-- wrk script: each request resolves a random lot from CODES (lines "GTIN LOT").
-- MODE=resolve → /v1/resolve?code=(01)GTIN(10)LOT ; MODE=dl → /01/GTIN/10/LOT (JSON)
local codes = {}
local mode = os.getenv("MODE") or "resolve"
for line in io.lines(os.getenv("CODES")) do
  local g, l = line:match("^(%d+) (%S+)$")
  if g then codes[#codes + 1] = { g, l } end
end
math.randomseed(os.time())
wrk.headers["Accept"] = "application/json"
request = function()
  local c = codes[math.random(#codes)]
  if mode == "dl" then
    return wrk.format("GET", "/01/" .. c[1] .. "/10/" .. c[2])
  end
  return wrk.format("GET", "/v1/resolve?code=%2801%29" .. c[1] .. "%2810%29" .. c[2])
end
