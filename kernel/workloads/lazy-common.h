/*
 * PRIVATE_EXPEDITED(_SYNC_CORE) under lazy idle: P registers (single user: this runqueue only),
 * T1 on CPU 1 blocks (CPU 1 idles lazily on P's mm: rq->curr->mm is NULL), T2 spins on CPU 2, the
 * main thread on CPU 0 calls the command LAZY_CALLS times (phase "calls-lazy": the scan must skip
 * CPU 1), then T1 wakes and spins and it calls again (phase "calls-running": CPU 1 selected).
 */
#include "lazymm-wl.h"

#define LAZY_CALLS 5

static volatile int stop, t1_blocked, t1_running;
static int t1_pipe[2];

static void *t1_main(void *arg) {
	char c;
	t1_blocked = 1;
	if (read(t1_pipe[0], &c, 1) != 1) die("read");
	t1_running = 1;
	while (!stop) {
		for (volatile int i = 0; i < 1000; i++) {}
	}
	return NULL;
}

static void *t2_main(void *arg) {
	while (!stop) {
		for (volatile int i = 0; i < 1000; i++) {}
	}
	return NULL;
}

static void lazy_scenario(const char *name, int register_cmd, int cmd) {
	wl_start(name);
	if (pipe(t1_pipe)) die("pipe");
	must_membarrier(register_cmd);
	pthread_t t1 = thread_on(1, t1_main, NULL);
	pthread_t t2 = thread_on(2, t2_main, NULL);
	wait_flag(&t1_blocked);
	sleep_ms(20);
	phase("calls-lazy");
	for (int i = 0; i < LAZY_CALLS; i++) must_membarrier(cmd);
	if (write(t1_pipe[1], "x", 1) != 1) die("write");
	wait_flag(&t1_running);
	sleep_ms(10);
	phase("calls-running");
	for (int i = 0; i < LAZY_CALLS; i++) must_membarrier(cmd);
	phase("calls-done");
	stop = 1;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	wl_done();
}
