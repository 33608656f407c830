/*
 * Control of gfs-aio: P has a second thread, blocked in read() for the whole scenario, so
 * mm_users == 2 and membarrier_private_expedited() scans the runqueues (kernel/sched/membarrier.c:
 * "p && p->mm == mm", which selects a kthread inside kthread_use_mm() of P's mm since 618758ed3a4f):
 * the calls that overlap the worker's kthread_use_mm() IPI its CPU. See gadget-aio.h and gfs-gadget.h.
 */
#include "gfs-gadget.h"

int main(void) {
	gadget_scenario("gfs-aio-ctl", 1, &gfs_gadget);
	return 0;
}
