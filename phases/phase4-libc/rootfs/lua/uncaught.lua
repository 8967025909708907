-- An error nobody catches: the interpreter prints it with a traceback on
-- stderr and exits with 1, after what the script printed.
print("arg[0] = " .. arg[0], "arg[1] = " .. tostring(arg[1]), select("#", ...))
local function inner() error("uncaught, on purpose") end
local function outer() inner() end
outer()
print("not reached")
