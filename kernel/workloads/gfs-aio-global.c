/*
 * Trigger of single-user-shortcuts-miss-kthread-use-mm, GLOBAL_EXPEDITED form: each round's P is
 * single-threaded (mm_users == 1), so its MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, made while
 * gadgetfs' ep_user_copy_worker() is inside kthread_use_mm(P's mm) on CPU 2, writes
 * MEMBARRIER_STATE_GLOBAL_EXPEDITED only into CPU 1's runqueue (kernel/sched/membarrier.c
 * sync_runqueues_membarrier_state()): Q's GLOBAL_EXPEDITED calls send CPU 2 no IPI. See
 * gadget-aio-global.h and gfs-gadget.h.
 */
#include "gadget-aio-global.h"
#include "gfs-gadget.h"

int main(void) {
	gadget_global_scenario("gfs-aio-global", 0, &gfs_gadget);
	return 0;
}
