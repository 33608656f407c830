/*
 * Control of ge-exit: after T2 exits (CPU 1: dying T2 -> T1, state 0), a process R of another mm
 * runs on CPU 1 and exits, so the R -> T1 switch (different mm) writes rq->membarrier_state = 0xc. Expected: every call
 * IPIs CPU 1.
 */
#include "ge-common.h"

static volatile pid_t t2_tid;

static void *t2_main(void *arg) {
	t2_tid = gettid_();
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
	/* pthread_join() returns at exit_mm()'s futex wake, before T2 is gone: let CPU 1 switch
	 * dying T2 -> T1 first (state 0, as in ge-exit), then wake R. */
	wait_thread_gone(t2_tid, 30);
	phase("wake-r");
	if (write(r_pipe[1], "x", 1) != 1) die("write");
	waitpid(r, NULL, 0);
	ge_calls_and_finish(q, t1);
	return 0;
}
