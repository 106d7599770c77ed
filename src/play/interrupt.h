#pragma once
// Ctrl-C while a player waits or plays. The first SIGINT or SIGTERM only
// raises a flag, so that the client can cancel its ticket and leave cleanly;
// a second one ends the process as usual.

namespace webgames::play {

// Installs the handlers, except for a signal the process was started
// ignoring (nohup, a shell's background job). They do not restart interrupted
// system calls, so a blocking read of stdin returns at once. Call once, from
// the main thread.
void catch_interrupts();

// True once SIGINT or SIGTERM has arrived.
bool interrupted();

}  // namespace webgames::play
