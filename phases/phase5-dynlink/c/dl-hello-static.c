/* dl-hello-static: dl-hello (c/dynamic/dl-hello.c) linked statically, to
 * compare a program's static and dynamic builds. */
#include "dynamic/dl-hello.c"
