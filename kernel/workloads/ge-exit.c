/*
 * Trigger (i) of global-expedited-stale-rq-state: P registers while single-threaded (only this
 * runqueue is written), T1 and T2 run on CPU 1 (the switch to P's mm writes rq->membarrier_state =
 * 0xc), T2 exits: exit_mm() writes 0 and CPU 1 switches from the dying T2 straight to T1 (same mm,
 * membarrier_switch_mm() returns early). Expected: 0 on CPU 1 and no IPI to it in the calls.
 */
#include "ge-common.h"

static volatile pid_t t2_tid;

static void *t2_main(void *arg) {
	t2_tid = gettid_();
	spin_ms(20);
	phase("t2-exit");
	return NULL; /* thread exit: do_exit() -> exit_mm() */
}

int main(void) {
	ge_init("ge-exit");
	pid_t q = fork_q();
	must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	phase("prepare");
	pthread_t t1 = thread_on(1, t1_main, NULL);
	sleep_ms(20);
	pthread_t t2 = thread_on(1, t2_main, NULL);
	pthread_join(t2, NULL);
	/* pthread_join() returns at exit_mm()'s futex wake: wait until T2 is gone and CPU 1 runs T1. */
	wait_thread_gone(t2_tid, 30);
	ge_calls_and_finish(q, t1);
	return 0;
}
