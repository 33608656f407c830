/*
 * Control of ge-exit: after T2 exits, a process R of another mm runs on CPU 1 before T1 does, so
 * the R -> T1 switch (different mm) writes rq->membarrier_state = 0xc again. Expected: every call
 * IPIs CPU 1.
 */
#include "ge-common.h"

static void *t2_main(void *arg) {
	spin_ms(20);
	phase("t2-exit");
	return NULL;
}

int main(void) {
	int r_pipe[2];
	ge_init("ge-exit-ctl-other");
	if (pipe(r_pipe)) die("pipe");
	pid_t q = fork_q();
	pid_t r = fork();
	if (r < 0) die("fork");
	if (r == 0) {
		char c;
		pin(1);
		if (read(r_pipe[0], &c, 1) != 1) die("read");
		phase("r-runs");
		spin_ms(5);
		_exit(0);
	}
	must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	phase("prepare");
	pthread_t t1 = thread_on(1, t1_main, NULL);
	sleep_ms(20);
	pthread_t t2 = thread_on(1, t2_main, NULL);
	pthread_join(t2, NULL);
	if (write(r_pipe[1], "x", 1) != 1) die("write");
	waitpid(r, NULL, 0);
	ge_calls_and_finish(q, t1);
	return 0;
}
