-- Gallery reads with product ids uniform over [1, N]. N comes from the PRODUCTS environment variable.
local n = tonumber(os.getenv("PRODUCTS") or "1000000")
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/products/" .. math.random(1, n) .. "/images")
end
