/* MEMBARRIER_CMD_PRIVATE_EXPEDITED while CPU 1 idles lazily on the caller's mm, then while T1 runs there. */
#include "lazy-common.h"

int main(void) {
	lazy_scenario("pe-lazy", MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, MEMBARRIER_CMD_PRIVATE_EXPEDITED);
	return 0;
}
