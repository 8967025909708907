/* Our small Lua interpreter: runs one script with Lua's standard
 * libraries, the C library of the system it was built for underneath.
 *
 *     lua SCRIPT [ARGS...]
 *
 * The script gets the global table `arg` (arg[0] is the script, arg[1]...
 * its arguments, as Lua's own interpreter sets it) and `...` its
 * arguments. An error that escapes the script is printed to stderr
 * ("lua: " and the message, with a traceback) and the exit status is 1;
 * otherwise it is 0, or what the script passes to os.exit. Lua's library
 * comes unchanged from the lua-src crate (which does not bundle Lua's own
 * lua.c); this file is ours. */
#include <stdio.h>
#include <stdlib.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

/* The message handler of the script's call: its error with a traceback. */
static int with_traceback(lua_State *L)
{
    const char *msg = lua_tostring(L, 1);
    if (msg == NULL) {
        msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
    }
    luaL_traceback(L, L, msg, 1);
    return 1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: lua SCRIPT [ARGS...]\n", stderr);
        return 2;
    }
    lua_State *L = luaL_newstate();
    if (L == NULL) {
        fputs("lua: cannot create a Lua state (no memory)\n", stderr);
        return 1;
    }
    luaL_openlibs(L);

    lua_createtable(L, argc - 1, 1);
    for (int i = 1; i < argc; i++) {
        lua_pushstring(L, argv[i]);
        lua_rawseti(L, -2, i - 1);
    }
    lua_setglobal(L, "arg");

    int status = 0;
    lua_pushcfunction(L, with_traceback);
    if (luaL_loadfile(L, argv[1]) != LUA_OK) {
        fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
        status = 1;
    } else {
        for (int i = 2; i < argc; i++) {
            lua_pushstring(L, argv[i]);
        }
        if (lua_pcall(L, argc - 2, 0, 1) != LUA_OK) {
            fflush(stdout);
            fprintf(stderr, "lua: %s\n", lua_tostring(L, -1));
            status = 1;
        }
    }
    lua_close(L);
    return status;
}
