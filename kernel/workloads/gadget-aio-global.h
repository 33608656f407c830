/*
 * The GLOBAL_EXPEDITED form of single-user-shortcuts-miss-kthread-use-mm (docs/findings/
 * single-user-shortcuts-miss-kthread-use-mm.md "On the real kernel"): the gadget, host H (CPU 2)
 * and AIO reads of gadget-aio.h, but each round's reader is a fresh process P (fork per round, on
 * CPU 1: the registration is once per mm). P submits its AIO read, spins until the first byte of its
 * buffer changes (the worker is inside kthread_use_mm(P's mm)), then registers
 * MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED and blocks in io_getevents() until the read is complete.
 * Process Q (another mm, never registered, CPU 0) calls MEMBARRIER_CMD_GLOBAL_EXPEDITED in a loop
 * from the start of P's registration to its completion (phase "calls" .. "calls-done" covers every
 * round).
 *
 * Models: kernel/sched/membarrier.c membarrier_register_global_expedited() ->
 * sync_runqueues_membarrier_state(): with mm_users == 1 only this_cpu_write(runqueues.membarrier_state)
 * (the caller's CPU); else ipi_sync_rq_state() on every CPU whose rq->curr has p->mm == mm, the
 * worker's too. membarrier_global_expedited() IPIs a CPU only if its rq->membarrier_state has
 * MEMBARRIER_STATE_GLOBAL_EXPEDITED, which the worker's CPU got from kthread_use_mm() ->
 * membarrier_update_current_mm() before the registration (kernel/kthread.c).
 * With `second_thread`, P has a thread blocked in read() (CPU 0) from before its AIO read: mm_users 2.
 */
#include "gadget-aio.h"

/*
 * Longer reads than gadget-aio.h's, fewer rounds: with mm_users 2 the registration sleeps in
 * sync_runqueues_membarrier_state()'s synchronize_rcu() before its scan, and the worker must still be
 * copying (1023 page faults) when the scan reads rq->curr. 4 MiB is kmalloc()'s largest size
 * (KMALLOC_MAX_SIZE with MAX_ORDER 11), which gadgetfs' ep_read_iter() allocates for the read.
 */
#define GLOBAL_ROUNDS 16
#define GLOBAL_AIO_LEN (4L * 1024 * 1024)
/* Each page of the read 1 GiB apart (gadget-aio.h aio_stride): a longer copy, the same read. */
#define GLOBAL_AIO_STRIDE (1L << 30)
/*
 * H wakes less often and runs as SCHED_IDLE: a switch on the worker's CPU rewrites its
 * rq->membarrier_state (membarrier_switch_mm()), and H's last bulk transfer completes as the worker
 * starts copying (its wake-up preempted the worker).
 */
#define GLOBAL_HOST_POLL_MS 20
/* Iterations of Q's pause between two calls (tens of microseconds under TCG). */
#define Q_CALL_SPIN 100000

/* Q: GLOBAL_EXPEDITED calls on CPU 0 from a P's registration until its read is complete. */
static pid_t fork_global_caller(void) {
	pid_t q = fork();
	if (q < 0) die("fork");
	if (q) return q;
	pin(0);
	int calls = 0;
	for (long i = 0; !gsh->quit; i++) {
		if (gsh->registered > gsh->completed) {
			if (membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED, 0)) die("membarrier(MEMBARRIER_CMD_GLOBAL_EXPEDITED)");
			calls++;
			/* A pause between calls, spun (a sleep would add switches to the trace): unthrottled,
			 * Q's calls overran CPU 0's ring buffer in a CI boot (68,048 entries lost). */
			for (volatile int spin = 0; spin < Q_CALL_SPIN; spin++) {}
		} else if (i % (1 << 20) == 0 && getppid() == 1) _exit(4); /* the scenario is gone */
	}
	gsh->q_calls = calls;
	_exit(0);
}

/* One round's P (a fresh child, CPU 1): its AIO read, the registration inside the worker's copy. */
static void global_round(int ep_out, int r, int second_thread) {
	pthread_t t = 0;
	pin(1);
	if (second_thread) {
		if (pipe(sleeper_pipe)) die("pipe");
		t = thread_on(0, sleeper, NULL);
	}
	aio_context_t ctx = 0;
	if (io_setup_(4, &ctx)) die("io_setup");
	volatile struct aio_ring_head *ring = (volatile struct aio_ring_head *)ctx;
	char *buf = aio_start_round(ctx, ep_out, r);
	if (ring->head == ring->tail) {
		gsh->registered = r; /* Q starts now: its first call after the registration's return comes sooner */
		must_membarrier(MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED);
	}
	/*
	 * P blocks in io_getevents() until the read is complete: CPU 1 idles, so Q's calls need not
	 * IPI it (membarrier_global_expedited() skips a CPU whose rq->curr has no mm) and come faster.
	 */
	aio_end_round(ctx, buf);
	gsh->completed = r;
	io_destroy_(ctx);
	if (second_thread) {
		if (write(sleeper_pipe[1], "x", 1) != 1) die("write");
		pthread_join(t, NULL);
	}
}

/*
 * The scenario: set-up on CPU 0, host on CPU 2, Q on CPU 0, one P per round on CPU 1. Two knobs
 * are set during the rounds and restored afterwards:
 * - /sys/kernel/rcu_expedited = 1 (kernel/rcu/tree.c synchronize_rcu(): rcu_gp_is_expedited() ->
 *   synchronize_rcu_expedited()), so that the multi-user registration's synchronize_rcu() (a normal
 *   grace period is jiffies under TCG) ends while the worker is still copying;
 * - /proc/sys/kernel/timer_migration = 0 (kernel/time/hrtimer.c get_target_base(): no
 *   get_nohz_timer_target()), so that dummy_hcd's hrtimer, armed by H on CPU 2 (nohz_full), fires
 *   there rather than on the housekeeping CPU 0: the gadget request completes there and
 *   schedule_work() queues the copy on CPU 2's worker, not on Q's CPU.
 */
static void knob(const char *path, char *old, size_t n, const char *val) {
	if (get(path, old, n)) die(path);
	put(path, val);
}

static void gadget_global_scenario(const char *name, int second_thread, const struct gadget_ops *g) {
	wl_start(name);
	gsh = shared_page();
	aio_rounds_n = GLOBAL_ROUNDS;
	aio_len = GLOBAL_AIO_LEN;
	host_poll_ms = GLOBAL_HOST_POLL_MS;
	host_sched_idle = 1;
	aio_stride = GLOBAL_AIO_STRIDE;
	g->up();
	pid_t h = host_pid = fork_host(g->product);
	pid_t q = fork_global_caller();
	while (!gsh->host_ready) { check_host(); sleep_ms(1); }
	char expedited[8], migration[8];
	knob("/sys/kernel/rcu_expedited", expedited, sizeof(expedited), "1");
	knob("/proc/sys/kernel/timer_migration", migration, sizeof(migration), "0");
	phase("calls");
	for (int r = 1; r <= aio_rounds_n; r++) {
		pid_t p = fork();
		if (p < 0) die("fork");
		if (!p) {
			global_round(*g->ep_out, r, second_thread);
			_exit(0);
		}
		int st;
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st)) { errno = ECHILD; die("a round's process failed"); }
		while (gsh->sent < r) { check_host(); sleep_ms(1); }
	}
	phase("calls-done");
	put("/sys/kernel/rcu_expedited", expedited);
	put("/proc/sys/kernel/timer_migration", migration);
	gsh->quit = 1;
	waitpid(q, NULL, 0);
	waitpid(h, NULL, 0);
	phase("q-calls %d", gsh->q_calls);
	g->down();
	wl_done();
}
