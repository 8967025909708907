-- Closures, upvalues, varargs, recursion, coroutines (generators,
-- passing values both ways, status, wrap, errors inside), goto.
local function counter()
  local n = 0
  return function() n = n + 1; return n end, function() return n end
end
local inc, get = counter()
inc(); inc(); inc()
print(get(), inc(), get())
local adders = {}
for i = 1, 5 do adders[i] = function(x) return x + i end end
print(adders[1](10), adders[5](10))
local function sum(...)
  local s = 0
  for i = 1, select("#", ...) do s = s + (select(i, ...) or 0) end
  return s, select("#", ...)
end
print(sum(1, 2, nil, 4), sum(), (sum(5, 5)))
local function fib(n) if n < 2 then return n end return fib(n - 1) + fib(n - 2) end
print(fib(25))
local function tail(n, acc) if n == 0 then return acc end return tail(n - 1, acc + n) end
print(tail(1000000, 0))
local function gen(n)
  return coroutine.wrap(function() for i = 1, n do coroutine.yield(i * i) end end)
end
local squares = {}
for v in gen(8) do squares[#squares + 1] = v end
print(table.concat(squares, " "))
local co = coroutine.create(function(a, b)
  print("start", a, b)
  local c = coroutine.yield(a + b)
  print("got", c)
  local d, e = coroutine.yield(c * 2)
  print("got", d, e)
  return "done", a + b + c + d + e
end)
print(coroutine.resume(co, 1, 2))
print(coroutine.status(co), coroutine.resume(co, 10))
print(coroutine.resume(co, 100, 1000))
print(coroutine.status(co), coroutine.resume(co))
local bad = coroutine.create(function() local x = nil; return x.field end)
local ok, err = coroutine.resume(bad)
print(ok, err, coroutine.status(bad))
print(coroutine.isyieldable(), select(2, coroutine.running()))
local function producer()
  return coroutine.create(function()
    for _, w in ipairs({"alpha", "beta", "gamma"}) do coroutine.yield(w) end
  end)
end
local function filter(prod)
  return coroutine.create(function()
    while true do
      local _, w = coroutine.resume(prod)
      if not w then return end
      coroutine.yield(w:upper())
    end
  end)
end
local f = filter(producer())
while true do
  local _, w = coroutine.resume(f)
  if not w then break end
  io.write(w, " ")
end
print()
for i = 1, 3 do
  for j = 1, 3 do
    if j == 2 then goto continue end
    io.write(i, j, " ")
    ::continue::
  end
end
print()
print("ok: closures")
