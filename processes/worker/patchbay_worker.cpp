// patchbay-worker: the program a process type starts for each of its workers
// (`patchbay-worker multiprocess ENDPOINT INDEX`). Not for people: patchbay starts it.
#include <patchbay/backend/process_type.hpp>

int main(int argc, char** argv) { return patchbay::run_worker_program(argc, argv); }
