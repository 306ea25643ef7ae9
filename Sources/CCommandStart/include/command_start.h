// What the `chainmap` executable starts before `main`, from the command its first
// argument names. Linked into the executable (and into the test binary that links the
// executable's module, where the first argument is the test runner's), not into
// ChainMapKit: a program that uses the library starts nothing it did not ask for.
#ifndef CHAINMAP_COMMAND_START_H
#define CHAINMAP_COMMAND_START_H

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Whether a usual run of the subcommand `command` draws maps (`render`, `report`):
/// before `main`, such a run makes its Graphviz context and starts the helper thread
/// that reads fontconfig's configuration and then warms the context up
/// (Sources/CGraphvizStart). The one list of these commands.
bool chainmap_command_draws_maps(const char *command);

#ifdef __cplusplus
}
#endif

#endif
