/*
 * Trigger (iii) of global-expedited-stale-rq-state: T1 blocks, CPU 1 idles lazily on P's mm; P
 * registers from CPU 0 (two users: sync_runqueues_membarrier_state() IPIs only CPUs whose
 * rq->curr->mm is P's mm, so not the idle CPU 1); T1 wakes: idle -> T1 is a switch to the lazy mm,
 * membarrier_switch_mm() returns early. Expected: 0 on CPU 1 and no IPI to it in the calls.
 */
#include "ge-common.h"

int main(void) {
	ge_init("ge-idle-register");
	pid_t q = fork_q();
	phase("prepare");
	pthread_t t1 = thread_on(1, t1_main, (void *)1);
	wait_flag(&ge->t1_blocked);
	sleep_ms(20);
	phase("register");
	must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	phase("wake-t1");
	if (write(t1_pipe[1], "x", 1) != 1) die("write");
	ge_calls_and_finish(q, t1);
	return 0;
}
