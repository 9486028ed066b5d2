#pragma once
// Ctrl-C (SIGINT) and SIGTERM ask the grid to stop: runs in progress are abandoned at the next
// batch, finished runs stay on disk and the reports are written. A second Ctrl-C kills at once.
#include <atomic>

namespace notmnist {

const std::atomic<bool>& stop_requested();
void install_stop_handlers();

}  // namespace notmnist
