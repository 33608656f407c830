/* MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE while CPU 1 idles lazily on the caller's mm, then while T1 runs there. */
#include "lazy-common.h"

int main(void) {
	lazy_scenario("sc-lazy", MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE);
	return 0;
}
