-- Tables: constructors, length, sort (with and without a comparator),
-- concat, insert/remove/move/unpack, next/pairs order of an array part,
-- metatables.
local t = {}
for i = 1, 20 do t[i] = (i * 37) % 23 end
table.sort(t)
print(table.concat(t, " "))
table.sort(t, function(a, b) return a > b end)
print(table.concat(t, ","))
local words = {"pear", "Apple", "fig", "banana", "cherry", "apple", "Fig"}
table.sort(words)
print(table.concat(words, " "))
table.sort(words, function(a, b) return a:lower() < b:lower() or (a:lower() == b:lower() and a < b) end)
print(table.concat(words, " "))
local recs = {}
for i = 1, 50 do recs[i] = {id = i, score = (i * 7919) % 101} end
table.sort(recs, function(a, b) if a.score ~= b.score then return a.score > b.score end return a.id < b.id end)
for i = 1, 5 do io.write(recs[i].id, ":", recs[i].score, " ") end
print()
local q = {1, 2, 3}
table.insert(q, 4); table.insert(q, 1, 0); print(table.remove(q), table.remove(q, 1), #q, table.concat(q, "-"))
print(table.unpack(table.move({1, 2, 3, 4, 5}, 2, 4, 1)))
print(select("#", table.unpack({1, nil, 3}, 1, 3)), #{n = 1}, #"", rawlen({1, 2}))
local counts = {}
for _, w in ipairs({"a", "b", "a", "c", "b", "a"}) do counts[w] = (counts[w] or 0) + 1 end
local keys = {}
for k in pairs(counts) do keys[#keys + 1] = k end
table.sort(keys)
for _, k in ipairs(keys) do io.write(k, "=", counts[k], " ") end
print()
local V = {}
V.__index = V
V.__add = function(a, b) return setmetatable({x = a.x + b.x, y = a.y + b.y}, V) end
V.__eq = function(a, b) return a.x == b.x and a.y == b.y end
V.__tostring = function(v) return string.format("(%g, %g)", v.x, v.y) end
V.__lt = function(a, b) return a.x < b.x end
V.__len = function() return 2 end
V.__call = function(self, k) return self[k] end
local function vec(x, y) return setmetatable({x = x, y = y}, V) end
local a, b = vec(1, 2), vec(0.5, -4)
print(tostring(a + b), a == vec(1, 2), b < a, #a, a("y"))
local default = setmetatable({}, {__index = function(_, k) return k .. "!" end, __newindex = function(t, k, v) rawset(t, k, v * 2) end})
default.x = 21
print(default.x, default.hello, rawget(default, "hello"))
local big = {}
for i = 1, 100000 do big[i] = i end
local sum = 0
for _, v in ipairs(big) do sum = sum + v end
print(#big, sum, next({}), type(next({10})))
print("ok: tables")
