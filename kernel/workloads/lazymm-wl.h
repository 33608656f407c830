/*
 * Shared helpers of lazymm's real-kernel workloads (one scenario per .c file, built with
 * gcc -O2 -static -pthread by `npm run kernel:setup`). Every thread pins itself with
 * sched_setaffinity(); phases are written to /sys/kernel/tracing/trace_marker as
 * "lazymm <scenario> <phase>" so the trace can be cut into phases; a workload prints
 * "lazymm-elapsed <scenario> <microseconds>" on stdout when it is done.
 */
#define _GNU_SOURCE
#pragma GCC diagnostic ignored "-Wunused-function"
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *wl_name = "?";
static int wl_marker_fd = -1;
static struct timespec wl_t0;

static void die(const char *what) {
	fprintf(stderr, "lazymm workload %s: %s: %s\n", wl_name, what, strerror(errno));
	exit(3);
}

static void pin(int cpu) {
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) die("sched_setaffinity");
}

/* "lazymm <scenario> <phase>" in the trace (and nothing when tracing is off). */
static void phase(const char *fmt, ...) {
	char buf[200];
	int n = snprintf(buf, sizeof(buf), "lazymm %s ", wl_name);
	va_list ap;
	va_start(ap, fmt);
	n += vsnprintf(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (wl_marker_fd >= 0 && write(wl_marker_fd, buf, n) < 0) { /* tracing may be off */ }
}

static void wl_start(const char *name) {
	wl_name = name;
	wl_marker_fd = open("/sys/kernel/tracing/trace_marker", O_WRONLY);
	clock_gettime(CLOCK_MONOTONIC, &wl_t0);
	pin(0);
	phase("begin");
}

static void wl_done(void) {
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	phase("end");
	long us = (t1.tv_sec - wl_t0.tv_sec) * 1000000L + (t1.tv_nsec - wl_t0.tv_nsec) / 1000;
	printf("lazymm-elapsed %s %ld\n", wl_name, us);
	fflush(stdout);
}

static int membarrier(int cmd, unsigned flags) {
	return syscall(__NR_membarrier, cmd, flags, 0);
}

static void must_membarrier(int cmd) {
	if (membarrier(cmd, 0)) die("membarrier");
}

static void sleep_ms(long ms) {
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) && errno == EINTR) {}
}

/* Busy user-mode work for about `ms` of this thread's own CPU time. */
static void spin_ms(long ms) {
	struct timespec t0, t;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
	do {
		for (volatile int i = 0; i < 1000; i++) {}
		clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

/* Memory shared by the processes of one scenario (mapped before fork). */
static void *shared_page(void) {
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) die("mmap shared");
	return p;
}

/* A thread pinned to `cpu` from its first instruction. */
static pthread_t thread_on(int cpu, void *(*fn)(void *), void *arg) {
	pthread_attr_t a;
	cpu_set_t set;
	pthread_t t;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	pthread_attr_init(&a);
	pthread_attr_setaffinity_np(&a, sizeof(set), &set);
	if ((errno = pthread_create(&t, &a, fn, arg))) die("pthread_create");
	pthread_attr_destroy(&a);
	return t;
}

/* Waits until thread `tid` is gone from /proc (release_task(): past exit_mm()), then `ms` more. */
static void wait_thread_gone(pid_t tid, long ms) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/task/%d", (int)tid);
	while (access(path, F_OK) == 0) sleep_ms(1);
	sleep_ms(ms);
}

static pid_t gettid_(void) {
	return syscall(SYS_gettid);
}

static void wait_flag(volatile int *flag) {
	while (!*flag) sleep_ms(1);
}
