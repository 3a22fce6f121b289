-- Gallery reads with Zipf-skewed product ids over [1, N] (popular products are read most):
-- P(k) proportional to 1/k^S, drawn by rejection-inversion (Hormann & Derflinger 1996),
-- O(1) per draw and no table. N from PRODUCTS, S from ZIPF_S (default 1.0).
local n = tonumber(os.getenv("PRODUCTS") or "1000000")
local s = tonumber(os.getenv("ZIPF_S") or "1.0")
math.randomseed(os.time())

local function h(x)   -- integral of x^-s
  if math.abs(s - 1.0) < 1e-9 then return math.log(x) end
  return (x ^ (1 - s) - 1) / (1 - s)
end
local function hinv(x)
  if math.abs(s - 1.0) < 1e-9 then return math.exp(x) end
  return (1 + x * (1 - s)) ^ (1 / (1 - s))
end
local hx0 = h(1.5) - 1.0
local hn = h(n + 0.5)
local sconst = 2 - hinv(h(2.5) - 2 ^ (-s))

local function zipf()
  while true do
    local u = hn + math.random() * (hx0 - hn)
    local x = hinv(u)
    local k = math.floor(x + 0.5)
    if k < 1 then k = 1 elseif k > n then k = n end
    if k - x <= sconst or u >= h(k + 0.5) - k ^ (-s) then
      return k
    end
  end
end

request = function()
  return wrk.format("GET", "/api/products/" .. zipf() .. "/images")
end
