/*
 * exec of a multi-threaded, registered process: T1 and T2 spin on CPUs 1 and 2, the main thread
 * (CPU 0) execs this program again. de_thread() kills T1 and T2 (exit_mm() on CPUs 1 and 2:
 * rq->membarrier_state = 0), exec_mmap() calls membarrier_exec_mmap() (mm and runqueue state 0).
 */
#include "lazymm-wl.h"

static void *spinner(void *arg) {
	for (;;) {
		for (volatile int i = 0; i < 1000; i++) {}
	}
	return NULL;
}

int main(int argc, char **argv) {
	if (argc > 1 && strcmp(argv[1], "--after-exec") == 0) {
		wl_name = "exec-mt";
		wl_marker_fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY);
		clock_gettime(CLOCK_MONOTONIC, &wl_t0);
		wl_t0.tv_sec = atol(argv[2]);
		wl_t0.tv_nsec = atol(argv[3]);
		phase("after-exec");
		spin_ms(5);
		wl_done();
		return 0;
	}
	wl_start("exec-mt");
	must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	must_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
	thread_on(1, spinner, NULL);
	thread_on(2, spinner, NULL);
	sleep_ms(20);
	phase("exec");
	char s[32], ns[32];
	snprintf(s, sizeof(s), "%ld", (long)wl_t0.tv_sec);
	snprintf(ns, sizeof(ns), "%ld", (long)wl_t0.tv_nsec);
	execl("/proc/self/exe", argv[0], "--after-exec", s, ns, (char *)NULL);
	die("execl");
}
