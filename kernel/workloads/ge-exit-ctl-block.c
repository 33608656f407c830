/*
 * Control of ge-exit: T2 blocks instead of exiting, so CPU 1 switches T2 -> T1 without exit_mm().
 * Expected: rq->membarrier_state keeps 0xc and every call IPIs CPU 1.
 */
#include "ge-common.h"

static int t2_pipe[2];
static volatile int t2_blocking;

static void *t2_main(void *arg) {
	char c;
	spin_ms(20);
	phase("t2-block");
	t2_blocking = 1;
	if (read(t2_pipe[0], &c, 1) != 1) die("read");
	return NULL;
}

int main(void) {
	ge_init("ge-exit-ctl-block");
	if (pipe(t2_pipe)) die("pipe");
	pid_t q = fork_q();
	must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	phase("prepare");
	pthread_t t1 = thread_on(1, t1_main, NULL);
	sleep_ms(20);
	pthread_t t2 = thread_on(1, t2_main, NULL);
	wait_flag(&t2_blocking);
	sleep_ms(20);
	ge_calls_and_finish(q, t1);
	if (write(t2_pipe[1], "x", 1) != 1) die("write");
	pthread_join(t2, NULL);
	return 0;
}
