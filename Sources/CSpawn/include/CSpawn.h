// posix_spawn helpers that Swift's Glibc module does not show (they need _GNU_SOURCE): the
// definitions live in CSpawn.c, compiled with it. Each returns 0 or an errno value.
#ifndef AGENT_CSPAWN_H
#define AGENT_CSPAWN_H

#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close on exec, with no window for another spawn to inherit them.
int cspawn_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addchdir_np: the child starts in `path`.
int cspawn_addchdir(posix_spawn_file_actions_t *actions, const char *path);

/// posix_spawn_file_actions_addclosefrom_np: the child closes every descriptor from `from` up.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);

#endif
