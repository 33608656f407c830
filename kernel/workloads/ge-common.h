/*
 * The global-expedited-stale-rq-state scenarios (docs/findings/global-expedited-stale-rq-state.md):
 * process P registers MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, its thread T1 spins in user mode on
 * CPU 1; an unregistered process Q on CPU 2 calls MEMBARRIER_CMD_GLOBAL_EXPEDITED GE_CALLS times
 * (phase "calls"). What happens on CPU 1 before the calls (phase "prepare") is the scenario's.
 * The kernel should IPI CPU 1 on every call: T1's process registered and T1 is running there.
 */
#include "lazymm-wl.h"

#define GE_CALLS 5

struct ge_shared {
	volatile int go_q, q_done, stop, t1_blocked;
};

static struct ge_shared *ge;
static int t1_pipe[2];

/* T1: spins in user mode on CPU 1 until stop; with `block_first`, blocks on a pipe first. */
static void *t1_main(void *block_first) {
	char c;
	if (block_first) {
		ge->t1_blocked = 1;
		if (read(t1_pipe[0], &c, 1) != 1) die("read");
	}
	while (!ge->stop) {
		for (volatile int i = 0; i < 1000; i++) {}
	}
	return NULL;
}

/* Q: forked before P registers, so its mm is not registered; calls GLOBAL_EXPEDITED from CPU 2. */
static pid_t fork_q(void) {
	pid_t q = fork();
	if (q < 0) die("fork");
	if (q == 0) {
		pin(2);
		wait_flag(&ge->go_q);
		phase("calls");
		for (int i = 0; i < GE_CALLS; i++) must_membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED);
		phase("calls-done");
		ge->q_done = 1;
		_exit(0);
	}
	return q;
}

static void ge_init(const char *name) {
	wl_start(name);
	ge = shared_page();
	if (pipe(t1_pipe)) die("pipe");
}

/* The calls, then the end of the scenario. */
static void ge_calls_and_finish(pid_t q, pthread_t t1) {
	sleep_ms(20);
	ge->go_q = 1;
	wait_flag(&ge->q_done);
	ge->stop = 1;
	pthread_join(t1, NULL);
	waitpid(q, NULL, 0);
	wl_done();
}
