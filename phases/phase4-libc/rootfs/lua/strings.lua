-- Strings and string.format (floats through the C library's printf and
-- strtod), patterns, string.pack, utf8.
local fmt = string.format
print(fmt("%d %5d %-5d| %05d %x %X %o %c", 42, -7, 3, 12, 255, 48879, 8, 65))
for _, x in ipairs({0.1, 1/3, 2/3, 1e300, 1e-300, 123456789.125, -0.0, 2^63, 5e-324}) do
  print(fmt("%g %.3f %e %.17g %a", x, x, x, x, x))
end
print(fmt("%10.4f|%-10.2e|%+.0f|% g", math.pi, 6.02214076e23, 2.5, 1e-5))
print(fmt("%q", "tab\there\nnew \0 zero \"quoted\" \\"))
print(fmt("%q %q %q", 1/0, -1/0, math.mininteger))
print(fmt("%s %s %s", 1e15, 1e16, 0.1 + 0.2), 10 / 2, 3 // 2, 3.0 // 2, 2^0.5)
print(tostring(1e100), tostring(-1e-7), 123456789012, 0x7fffffffffffffff + 1)
print(tonumber("0x1p4"), tonumber("  12.5e2  "), tonumber("1e"), tonumber("z", 36), tonumber("7fffffff", 16))
print(math.tointeger("8"), tonumber("inf"), tonumber("nan"), tonumber(".5"), tonumber("5."))
local s = "The quick brown fox jumps over the lazy dog"
print(#s, s:upper(), s:lower():sub(5, 9), s:rep(2, "/"):len())
print(s:find("fox"), s:find("o", 15, true), s:match("(%a+) dog"), s:byte(1, 3))
print(s:gsub("%w+", function(w) return #w > 4 and w:upper() or nil end))
print(("key = value; other = 42"):gsub("(%w+) = (%w+)", "%2=%1"))
for k, v in string.gmatch("a=1, b=22, c=333", "(%w+)=(%w+)") do io.write(k, ":", v, " ") end
print()
print(("%bxy"):len(), ("f(a(b)c)d"):match("%b()"), ("  trim me  "):match("^%s*(.-)%s*$") .. "|")
print(string.reverse("stressed"), string.char(76, 117, 97), ("x"):rep(0) == "")
local packed = string.pack("<i4 d z", -2, 1.5, "pk")
print(#packed, string.unpack("<i4 d z", packed))
print(utf8.char(72, 228, 8364, 128512), utf8.len("häll€"), utf8.codepoint("€", 1))
for p, c in utf8.codes("aé€") do io.write(p, "=", c, " ") end
print()
print(fmt("%-20s|%20s|", "left", "right"), fmt("%.3s", "abcdef"), fmt("%%"))
print("ok: strings")
