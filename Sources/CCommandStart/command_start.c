// See include/command_start.h.
#include "command_start.h"

#include <string.h>

#include "graphviz_start.h"

bool chainmap_command_draws_maps(const char *command) {
    return command && (strcmp(command, "render") == 0 || strcmp(command, "report") == 0);
}

#if defined(__GLIBC__) || defined(__APPLE__)
/// Runs before `main`, with the process's arguments, as glibc and Apple's loader pass
/// them to constructors: a command that draws maps gets its Graphviz context made now,
/// while the process has no other thread but the helper reading fontconfig's
/// configuration, started first, which then warms the context up. (Other C libraries,
/// musl among them, pass no arguments: there `main` starts both, as
/// `Graphviz.prepare(_:)`.)
__attribute__((constructor)) static void chainmap_command_start(int argc, char **argv) {
    if (argc > 1 && chainmap_command_draws_maps(argv[1])) {
        chainmap_graphviz_prepare(chainmap_warm_up_from_environment());
        chainmap_graphviz_start();
    }
}
#endif
