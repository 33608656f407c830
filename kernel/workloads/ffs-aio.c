/*
 * Trigger of single-user-shortcuts-miss-kthread-use-mm: P is single-threaded (mm_users == 1), so
 * membarrier_private_expedited() returns 0 at its "mm_users == 1" short-cut (kernel/sched/
 * membarrier.c) while the FunctionFS worker is inside kthread_use_mm(P's mm) on CPU 0: no IPI to
 * CPU 0. See ffs-common.h.
 */
#include "ffs-common.h"

int main(void) {
	ffs_scenario("ffs-aio", 0);
	return 0;
}
