/*
 * Control of ge-idle-register: P registers from CPU 0 while T1 runs on CPU 1, so
 * sync_runqueues_membarrier_state() IPIs CPU 1 (ipi_sync_rq_state). Expected: every call IPIs CPU 1.
 */
#include "ge-common.h"

int main(void) {
	ge_init("ge-register-running");
	pid_t q = fork_q();
	phase("prepare");
	pthread_t t1 = thread_on(1, t1_main, NULL);
	sleep_ms(20);
	phase("register");
	must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	ge_calls_and_finish(q, t1);
	return 0;
}
