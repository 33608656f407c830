/*
 * The single-user-shortcuts-miss-kthread-use-mm scenarios (docs/findings/
 * single-user-shortcuts-miss-kthread-use-mm.md): a USB gadget with one bulk OUT endpoint on
 * dummy_hcd's gadget controller dummy_udc.0, whose host side is dummy_hcd's own root hub in the
 * same guest. The gadget is FunctionFS (ffs-gadget.h) or the legacy gadgetfs (gfs-gadget.h).
 *
 * Process P (this one) sets the gadget up on CPU 0, registers
 * MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, and on CPU 1 submits AIO_ROUNDS AIO reads (io_submit,
 * raw syscalls) of AIO_LEN bytes into fresh, untouched pages from the bulk OUT endpoint's file. After
 * each submission it spins in user mode until the first byte of its buffer changes (the worker's
 * copy has begun: the worker is inside kthread_use_mm(); that page was written by P first, so
 * neither side faults on it), then calls
 * membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) in a loop until the read's completion is in the AIO
 * ring (phase "calls" .. "calls-done"): the calls fall in the copy of the rest of the buffer (255
 * pages, each a page fault of the worker). Process H (forked, CPU 2) is the USB host: usbfs
 * (/dev/bus/usb/BBB/DDD), USBDEVFS_CLAIMINTERFACE, AIO_LEN / HOST_CHUNK USBDEVFS_BULK transfers per
 * round (whole packets, so the gadget's one request fills up to its length).
 * The gadget driver completes each read in a workqueue worker that copies the data into P's buffer
 * between kthread_use_mm(P's mm) and kthread_unuse_mm().
 */
#pragma once
#include "lazymm-wl.h"
#include <dirent.h>
#include <linux/aio_abi.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>

#define AIO_ROUNDS 30
#define AIO_LEN (1024 * 1024)

/* The scenario's rounds and read length (AIO_ROUNDS and AIO_LEN unless the scenario sets them before fork_host()). */
static int aio_rounds_n = AIO_ROUNDS;
static long aio_len = AIO_LEN;
/* H's sleep between looks at gsh->go (it shares CPU 2 with the gadgetfs worker: each wake-up is a switch there). */
static long host_poll_ms = 1;
/*
 * 0: the buffer is contiguous. Else each page after the first is a segment of its own, `aio_stride`
 * bytes apart in a MAP_NORESERVE mapping (aio_len / 4096 segments: at most UIO_MAXIOV), so that the
 * worker's fault on it also allocates page tables (a PTE page per 2 MiB, a PMD page per 1 GiB).
 */
static long aio_stride;
/* H runs as SCHED_IDLE: its wake-ups (a bulk transfer's completion, a poll) never preempt the worker (kernel/sched/fair.c check_preempt_wakeup()). */
static int host_sched_idle;
#define HOST_CHUNK (64 * 1024)
#define VENDOR "1d6b"

struct gadget_shared {
	volatile int go, sent, host_ready;
	/* The GLOBAL_EXPEDITED scenarios (gadget-aio-global.h): the round whose P is registering, completed; Q's calls; stop. */
	volatile int registered, completed, q_calls, quit;
};

static struct gadget_shared *gsh;
static pid_t host_pid;

/* Fails the scenario when H is gone (it failed: its error is on stderr) instead of waiting forever. */
static void check_host(void) {
	int st;
	if (waitpid(host_pid, &st, WNOHANG) == host_pid) { errno = ECHILD; die("the host side exited early"); }
}

/* What a gadget driver's set-up provides: up() binds it and waits until the host configured it. */
struct gadget_ops {
	const char *product; /* idProduct, 4 hex digits, as sysfs prints it */
	void (*up)(void);
	void (*down)(void);
	int *ep_out; /* the bulk OUT endpoint's file, open after up() */
};

static void mkdir_ok(const char *p) {
	if (mkdir(p, 0755) && errno != EEXIST) die(p);
}

static void put(const char *path, const char *val) {
	int fd = open(path, O_WRONLY);
	if (fd < 0) die(path);
	if (write(fd, val, strlen(val)) != (ssize_t)strlen(val)) die(path);
	close(fd);
}

static int get(const char *path, char *buf, size_t n) {
	int fd = open(path, O_RDONLY);
	if (fd < 0) return -1;
	ssize_t r = read(fd, buf, n - 1);
	close(fd);
	if (r < 0) return -1;
	buf[r] = 0;
	if (r > 0 && buf[r - 1] == '\n') buf[r - 1] = 0;
	return 0;
}

/* The device's usbfs node and bulk OUT endpoint address, from /sys/bus/usb/devices. */
static int find_device(const char *product, char *node, size_t n, unsigned *ep, int *configured) {
	DIR *d = opendir("/sys/bus/usb/devices");
	struct dirent *e;
	char p[600], v[32], bus[16], dev[16];
	int found = 0;
	if (!d) return 0;
	while (!found && (e = readdir(d))) {
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/idProduct", e->d_name);
		if (get(p, v, sizeof(v)) || strcmp(v, product)) continue;
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/idVendor", e->d_name);
		if (get(p, v, sizeof(v)) || strcmp(v, VENDOR)) continue;
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/busnum", e->d_name);
		if (get(p, bus, sizeof(bus))) continue;
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/devnum", e->d_name);
		if (get(p, dev, sizeof(dev))) continue;
		snprintf(node, n, "/dev/bus/usb/%03d/%03d", atoi(bus), atoi(dev));
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/bConfigurationValue", e->d_name);
		if (configured) *configured = !get(p, v, sizeof(v)) && !strcmp(v, "1");
		/* The interface's endpoints: ep_XX directories with direction "out". */
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/%s:1.0", e->d_name, e->d_name);
		DIR *id = opendir(p);
		struct dirent *x;
		while (id && (x = readdir(id))) {
			char q[900];
			if (strncmp(x->d_name, "ep_", 3)) continue;
			snprintf(q, sizeof(q), "%s/%s/direction", p, x->d_name);
			if (!get(q, v, sizeof(v)) && !strcmp(v, "out")) {
				*ep = strtoul(x->d_name + 3, NULL, 16);
				found = 1;
			}
		}
		if (id) closedir(id);
	}
	closedir(d);
	return found;
}

/* H: the USB host side on CPU 2; AIO_LEN bytes of bulk OUT transfers per round P starts. */
static pid_t fork_host(const char *product) {
	pid_t h = fork();
	if (h < 0) die("fork");
	if (h) return h;
	pin(2);
	struct sched_param idle = { 0 };
	if (host_sched_idle && sched_setscheduler(0, SCHED_IDLE, &idle)) die("sched_setscheduler(SCHED_IDLE)");
	char node[64];
	unsigned ep = 0, intf = 0;
	int fd = -1, tries = 0;
	while (!find_device(product, node, sizeof(node), &ep, NULL) || (fd = open(node, O_RDWR)) < 0) {
		if (++tries > 5000) die("the gadget did not show up on the host side");
		sleep_ms(1);
	}
	if (ioctl(fd, USBDEVFS_CLAIMINTERFACE, &intf)) die("USBDEVFS_CLAIMINTERFACE");
	static char data[HOST_CHUNK];
	memset(data, 0x5a, sizeof(data));
	gsh->host_ready = 1;
	for (int r = 1; r <= aio_rounds_n; r++) {
		while (gsh->go < r) {
			if (getppid() == 1) _exit(4); /* P is gone */
			sleep_ms(host_poll_ms); /* not a spin: the gadgetfs worker may run on this CPU */
		}
		for (long sent = 0; sent < aio_len; sent += HOST_CHUNK) {
			struct usbdevfs_bulktransfer bt = { ep, HOST_CHUNK, 5000, data };
			if (ioctl(fd, USBDEVFS_BULK, &bt) != HOST_CHUNK) die("USBDEVFS_BULK");
		}
		gsh->sent = r;
	}
	close(fd);
	_exit(0);
}

static long io_setup_(unsigned nr, aio_context_t *ctx) { return syscall(__NR_io_setup, nr, ctx); }
static long io_submit_(aio_context_t ctx, long n, struct iocb **cbs) { return syscall(__NR_io_submit, ctx, n, cbs); }
static long io_getevents_(aio_context_t ctx, long min, long max, struct io_event *ev) {
	struct timespec limit = { 10, 0 }; /* the caller saw the completion in the ring, or waits for it */
	return syscall(__NR_io_getevents, ctx, min, max, ev, &limit);
}
static long io_destroy_(aio_context_t ctx) { return syscall(__NR_io_destroy, ctx); }

/* fs/aio.c struct aio_ring: mapped into the process at the context's address. */
struct aio_ring_head { unsigned id, nr, head, tail; };

/*
 * One round's AIO read, on the caller's CPU: a fresh untouched buffer (the worker's copy faults its
 * pages in), one AIO read of the bulk OUT endpoint, H told to send; returns once the first byte of
 * the buffer changed (the worker is inside kthread_use_mm()) or the completion is in the ring.
 */
static char *aio_start_round(aio_context_t ctx, int ep_out, int r) {
	volatile struct aio_ring_head *ring = (volatile struct aio_ring_head *)ctx;
	long pages = aio_len / 4096, span = aio_stride ? 4096 + (pages - 1) * aio_stride : aio_len;
	char *buf = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (buf == MAP_FAILED) die("mmap");
	/*
	 * The first page is written now (present and writable: the worker's copy into it changes
	 * no page table, and P can watch it without faulting); the rest stays untouched until the
	 * worker's copy faults it in. PREADV: an ITER_IOVEC that gadgetfs' dup_iter() copies (6.1).
	 */
	memset(buf, 0, 4096);
	static struct iovec iov[1024];
	int n = 2;
	iov[0] = (struct iovec){ buf, 4096 };
	iov[1] = (struct iovec){ buf + 4096, aio_len - 4096 };
	if (aio_stride) {
		if (pages > 1024) { errno = EINVAL; die("aio_len / 4096 > UIO_MAXIOV"); }
		for (n = 1; n < pages; n++) iov[n] = (struct iovec){ buf + 4096 + (n - 1) * aio_stride, 4096 };
	}
	struct iocb cb = { 0 }, *cbs[1] = { &cb };
	cb.aio_fildes = ep_out;
	cb.aio_lio_opcode = IOCB_CMD_PREADV;
	cb.aio_buf = (unsigned long)iov;
	cb.aio_nbytes = n;
	if (io_submit_(ctx, 1, cbs) != 1) die("io_submit");
	gsh->go = r;
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 1; *(volatile char *)buf != 0x5a && ring->head == ring->tail; i++) {
		if (i % (1 << 20)) continue;
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 10) { errno = ETIMEDOUT; die("no data arrived in 10 s"); }
	}
	return buf;
}

/* The end of a round: the completion (waited for up to 10 s) checked, the buffer unmapped (H's sends are waited for by the caller). */
static void aio_end_round(aio_context_t ctx, char *buf) {
	struct io_event ev;
	if (io_getevents_(ctx, 1, 1, &ev) != 1) die("io_getevents");
	char *last = aio_stride ? buf + 4096 + (aio_len / 4096 - 2) * aio_stride + 4095 : buf + aio_len - 1;
	if (ev.res != aio_len || buf[0] != 0x5a || *last != 0x5a) { errno = EIO; die("the AIO read returned short or wrong data"); }
	munmap(buf, aio_stride ? 4096 + (aio_len / 4096 - 1) * aio_stride : aio_len);
}

/* The rounds, on CPU 1: each an AIO read, then PRIVATE_EXPEDITED calls until the completion is in the ring. */
static void aio_rounds(int ep_out) {
	aio_context_t ctx = 0;
	if (io_setup_(4, &ctx)) die("io_setup");
	volatile struct aio_ring_head *ring = (volatile struct aio_ring_head *)ctx;
	while (!gsh->host_ready) { check_host(); sleep_ms(1); }
	phase("calls");
	for (int r = 1; r <= aio_rounds_n; r++) {
		char *buf = aio_start_round(ctx, ep_out, r);
		long calls = 0;
		while (ring->head == ring->tail) {
			if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0)) die("membarrier");
			if (++calls > 1000000) { errno = ETIMEDOUT; die("the AIO read did not complete"); }
		}
		aio_end_round(ctx, buf);
		while (gsh->sent < r) { check_host(); sleep_ms(1); }
	}
	phase("calls-done");
	io_destroy_(ctx);
}

static int sleeper_pipe[2];

/* The control's second thread: blocked in read() until the rounds are over. */
static void *sleeper(void *arg) {
	char c;
	(void)arg;
	if (read(sleeper_pipe[0], &c, 1) != 1) die("read");
	return NULL;
}

/*
 * The scenario: set-up on CPU 0, host on CPU 2, registration and rounds on CPU 1; with
 * `second_thread`, a thread of P blocked in read() (on CPU 0) during the rounds: mm_users == 2.
 */
static void gadget_scenario(const char *name, int second_thread, const struct gadget_ops *g) {
	wl_start(name);
	gsh = shared_page();
	g->up();
	pid_t h = host_pid = fork_host(g->product);
	pin(1);
	must_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
	pthread_t t = 0;
	if (second_thread) {
		if (pipe(sleeper_pipe)) die("pipe");
		t = thread_on(0, sleeper, NULL);
	}
	aio_rounds(*g->ep_out);
	if (second_thread) {
		if (write(sleeper_pipe[1], "x", 1) != 1) die("write");
		pthread_join(t, NULL);
	}
	waitpid(h, NULL, 0);
	pin(0);
	g->down();
	wl_done();
}
