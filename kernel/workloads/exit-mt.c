/*
 * exit of a multi-threaded, registered process: threads spin on CPUs 1 and 2, the main thread calls
 * exit_group() from CPU 0: every thread runs exit_mm() (rq->membarrier_state = 0 on its CPU), the
 * last mmput() tears the mm down. A child process does it so the parent can time and report.
 */
#include "lazymm-wl.h"

static void *spinner(void *arg) {
	for (;;) {
		for (volatile int i = 0; i < 1000; i++) {}
	}
	return NULL;
}

int main(void) {
	wl_start("exit-mt");
	for (int round = 0; round < 3; round++) {
		pid_t c = fork();
		if (c < 0) die("fork");
		if (c == 0) {
			must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
			must_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
			thread_on(1, spinner, NULL);
			thread_on(2, spinner, NULL);
			sleep_ms(10);
			must_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
			phase("exit-group");
			syscall(SYS_exit_group, 0);
		}
		waitpid(c, NULL, 0);
	}
	wl_done();
	return 0;
}
