/* dl-hello-static: dl-hello (c/dynamic/dl-hello.c) linked statically (on the host too), to
 * compare a program's static and dynamic builds. */
#include "../dynamic/dl-hello.c"
