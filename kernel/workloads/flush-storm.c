/*
 * mprotect/munmap TLB flush storm: T1 (CPU 1) and T2 (CPU 2) run in the mm, T1 blocking half of the
 * time (CPU 1 lazy), while the main thread (CPU 0) maps, touches, write-protects, unprotects and
 * unmaps memory: flush_tlb_mm_range() IPIs (flush_tlb_func) to the CPUs in mm_cpumask.
 */
#include "lazymm-wl.h"

#define ROUNDS 30
#define PAGES 8

static volatile int stop;
static volatile char *volatile shared_buf;

static void *reader(void *arg) {
	long lazy = (long)arg;
	while (!stop) {
		volatile char *b = shared_buf;
		if (b) (void)b[0];
		if (lazy) sleep_ms(1);
	}
	return NULL;
}

int main(void) {
	wl_start("flush-storm");
	pthread_t t1 = thread_on(1, reader, (void *)1);
	pthread_t t2 = thread_on(2, reader, (void *)0);
	sleep_ms(10);
	phase("storm");
	for (int r = 0; r < ROUNDS; r++) {
		char *p = mmap(NULL, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) die("mmap");
		for (int i = 0; i < PAGES; i++) p[i * 4096] = 1;
		if (mprotect(p, PAGES * 4096, PROT_READ)) die("mprotect");
		if (mprotect(p, PAGES * 4096, PROT_READ | PROT_WRITE)) die("mprotect");
		if (munmap(p, PAGES * 4096)) die("munmap");
	}
	phase("storm-done");
	stop = 1;
	pthread_join(t1, NULL);
	pthread_join(t2, NULL);
	wl_done();
	return 0;
}
