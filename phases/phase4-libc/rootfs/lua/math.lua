-- math: integers and floats, the libm functions, conversions, overflow,
-- and the generator with a fixed seed (its output is Lua's own
-- xoshiro256**, the same on every system).
print(math.maxinteger, math.mininteger, math.maxinteger + 1 == math.mininteger, math.huge, -math.huge)
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 7.5 // 2, -7.5 % 2, 2^10, 10 / 4)
print(math.floor(3.7), math.ceil(3.2), math.floor(-3.5), math.ceil(-3.5), math.fmod(7, 3), math.fmod(-7, 3))
print(math.abs(-5), math.abs(-5.5), math.max(3, 9, 1), math.min(2.5, -1), math.type(1), math.type(1.0), math.type("1"))
for _, x in ipairs({0, 0.5, 1, 2, 10, 100}) do
  print(string.format("%.14g %.14g %.14g %.14g %.14g %.14g", math.sqrt(x), math.exp(x), math.log(x + 1), math.sin(x), math.cos(x), math.atan(x, 2)))
end
print(math.log(8, 2), math.log(100, 10), math.log(27, 3), math.exp(1), math.tan(1), math.asin(0.5), math.acos(0.5))
print(math.ult(1, -1), math.tointeger(2^53), math.tointeger(0.5), 1e308 * 10, -(0/0) ~= -(0/0))
print(string.format("%.17g %.17g", 0.1 + 0.2, 1 / 3), 2^53 + 1, (2^53 + 1) | 0)
print(3 & 5, 3 | 5, 3 ~ 5, ~0, 1 << 62, 1 << 64, -1 >> 1, 255 // 16)
print(math.modf(3.75), math.modf(-3.75), math.modf(math.huge))
math.randomseed(42)
local r = {}
for i = 1, 6 do r[i] = math.random(1, 100) end
print(table.concat(r, " "), math.random(0) ~= nil, math.random() < 1)
math.randomseed(123, 456)
print(math.random(1000000), string.format("%.10f", math.random()))
print(pcall(math.random, 2, 1))
print(8 // 0.0, -8 // 0.0, 0/0 ~= 0/0, pcall(function() return 1 // 0 end))
print(tostring(1e15), tostring(1e16), 2^63, -2^63 == math.mininteger, 100000000000000)
print("ok: math")
