/*
 * Fork storm: children on CPUs 0..2 in turn; every third registers PRIVATE_EXPEDITED (a single
 * user: sync_runqueues_membarrier_state() writes only its own runqueue) and calls it (short
 * circuit: one user), then exits (exit_mm(), the last mmput()).
 */
#include "lazymm-wl.h"

#define CHILDREN 30

int main(void) {
	wl_start("fork-storm");
	phase("storm");
	for (int i = 0; i < CHILDREN; i++) {
		pid_t c = fork();
		if (c < 0) die("fork");
		if (c == 0) {
			pin(i % 3);
			if (i % 3 == 0) {
				must_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
				must_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
			}
			_exit(0);
		}
		waitpid(c, NULL, 0);
	}
	phase("storm-done");
	wl_done();
	return 0;
}
