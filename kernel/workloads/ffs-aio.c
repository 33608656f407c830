/*
 * The FunctionFS form of single-user-shortcuts-miss-kthread-use-mm, a control on Debian's 6.1:
 * P is single-threaded, but this build's ffs_user_copy_worker() takes mmget_not_zero(io_data->mm)
 * before kthread_use_mm() (the fix; ffs-gadget.h), so mm_users is 2 while the worker uses P's mm
 * and membarrier_private_expedited() scans and IPIs the worker's CPU. See gadget-aio.h.
 */
#include "ffs-gadget.h"

int main(void) {
	gadget_scenario("ffs-aio", 0, &ffs_gadget);
	return 0;
}
