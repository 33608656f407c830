/*
 * Control of gfs-aio-global: each round's P has a second thread, blocked in read(), so mm_users == 2
 * and sync_runqueues_membarrier_state() (kernel/sched/membarrier.c) IPIs every CPU whose rq->curr
 * has p->mm == P's mm, the worker's CPU inside kthread_use_mm() too: ipi_sync_rq_state() sets
 * MEMBARRIER_STATE_GLOBAL_EXPEDITED there and Q's GLOBAL_EXPEDITED calls IPI it. See
 * gadget-aio-global.h and gfs-gadget.h.
 */
#include "gadget-aio-global.h"
#include "gfs-gadget.h"

int main(void) {
	gadget_global_scenario("gfs-aio-global-ctl", 1, &gfs_gadget);
	return 0;
}
