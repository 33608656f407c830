/*
 * Trigger of single-user-shortcuts-miss-kthread-use-mm: P is single-threaded (mm_users == 1), so
 * membarrier_private_expedited() returns 0 at its "mm_users == 1" short-cut (kernel/sched/
 * membarrier.c) while gadgetfs' ep_user_copy_worker() is inside kthread_use_mm(P's mm) on another
 * CPU, holding no mm_users: no IPI to that CPU. See gadget-aio.h and gfs-gadget.h.
 */
#include "gfs-gadget.h"

int main(void) {
	gadget_scenario("gfs-aio", 0, &gfs_gadget);
	return 0;
}
