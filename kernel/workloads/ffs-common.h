/*
 * The single-user-shortcuts-miss-kthread-use-mm scenarios (docs/findings/
 * single-user-shortcuts-miss-kthread-use-mm.md): a USB gadget with one FunctionFS function (one
 * bulk OUT endpoint) on dummy_hcd's gadget controller dummy_udc.0, whose host side is dummy_hcd's
 * own root hub in the same guest.
 *
 * Process P (this one) sets the gadget up through configfs and owns ep0, registers
 * MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, and on CPU 1 submits FFS_ROUNDS AIO reads (io_submit,
 * raw syscalls) of FFS_LEN bytes into fresh, untouched pages of the bulk OUT endpoint's file; after
 * each submission it calls membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) in a loop until the read
 * completes (phase "calls" .. "calls-done"). Process H (forked, CPU 2) is the USB host: usbfs
 * (/dev/bus/usb/BBB/DDD), USBDEVFS_CLAIMINTERFACE, one USBDEVFS_BULK of FFS_LEN bytes per round.
 *
 * Models: drivers/usb/gadget/function/f_fs.c ffs_epfile_io() (an async read saves io_data->mm =
 * current->mm, no reference), ffs_epfile_async_io_complete() -> queue_work(ffs->io_completion_wq)
 * -> ffs_user_copy_worker(): kthread_use_mm(io_data->mm); copy to the user buffer;
 * kthread_unuse_mm(). io_completion_wq is an ordered (unbound) workqueue made at mount
 * (ffs_data_new()); with nohz_full=1,2 unbound workers run on the housekeeping CPU 0.
 */
#include "lazymm-wl.h"
#include <dirent.h>
#include <linux/aio_abi.h>
#include <linux/usb/ch9.h>
#include <linux/usb/functionfs.h>
#include <linux/usbdevice_fs.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#define FFS_ROUNDS 10
#define FFS_LEN (64 * 1024)
#define CONFIGFS "/sys/kernel/config"
#define GADGET CONFIGFS "/usb_gadget/lazymm"
#define FFS_MOUNT "/dev/ffs-lazymm"
#define VENDOR "1d6b"
#define PRODUCT "0104"

struct ffs_shared {
	volatile int go, sent, host_ready;
};

static struct ffs_shared *ffs_sh;
static int ffs_ep0 = -1, ffs_ep1 = -1;

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

/* One interface (vendor class), one bulk OUT endpoint, full and high speed. */
static const struct {
	struct usb_functionfs_descs_head_v2 head;
	__le32 fs_count, hs_count;
	struct {
		struct usb_interface_descriptor intf;
		struct usb_endpoint_descriptor_no_audio out;
	} __attribute__((packed)) fs, hs;
} __attribute__((packed)) ffs_descs = {
	.head = { FUNCTIONFS_DESCRIPTORS_MAGIC_V2, sizeof(ffs_descs), FUNCTIONFS_HAS_FS_DESC | FUNCTIONFS_HAS_HS_DESC },
	.fs_count = 2, .hs_count = 2,
	.fs = { { USB_DT_INTERFACE_SIZE, USB_DT_INTERFACE, 0, 0, 1, USB_CLASS_VENDOR_SPEC, 0, 0, 1 },
		{ USB_DT_ENDPOINT_SIZE, USB_DT_ENDPOINT, 1 | USB_DIR_OUT, USB_ENDPOINT_XFER_BULK, 64, 0 } },
	.hs = { { USB_DT_INTERFACE_SIZE, USB_DT_INTERFACE, 0, 0, 1, USB_CLASS_VENDOR_SPEC, 0, 0, 1 },
		{ USB_DT_ENDPOINT_SIZE, USB_DT_ENDPOINT, 1 | USB_DIR_OUT, USB_ENDPOINT_XFER_BULK, 512, 0 } },
};

static const struct {
	struct usb_functionfs_strings_head head;
	struct { __le16 code; char s[sizeof("lazymm")]; } __attribute__((packed)) lang0;
} __attribute__((packed)) ffs_strings = {
	.head = { FUNCTIONFS_STRINGS_MAGIC, sizeof(ffs_strings), 1, 1 },
	.lang0 = { 0x0409, "lazymm" },
};

/* Waits up to 10 s for FunctionFS event `type` on ep0 (the host configured the device: ENABLE). */
static void wait_ep0_event(int type) {
	struct usb_functionfs_event ev;
	for (;;) {
		struct pollfd pfd = { ffs_ep0, POLLIN, 0 };
		if (poll(&pfd, 1, 10000) != 1) { errno = ETIMEDOUT; die("waiting for the FunctionFS ENABLE event"); }
		if (read(ffs_ep0, &ev, sizeof(ev)) != sizeof(ev)) die("read ep0");
		if (ev.type == type) return;
	}
}

/* configfs gadget + FunctionFS instance, descriptors, bind to dummy_udc.0, wait for the host. */
static void gadget_up(void) {
	if (mount("none", CONFIGFS, "configfs", 0, NULL) && errno != EBUSY) die("mount configfs");
	mkdir_ok(GADGET);
	put(GADGET "/idVendor", "0x" VENDOR);
	put(GADGET "/idProduct", "0x" PRODUCT);
	mkdir_ok(GADGET "/configs/c.1");
	mkdir_ok(GADGET "/functions/ffs.lazymm");
	if (symlink(GADGET "/functions/ffs.lazymm", GADGET "/configs/c.1/ffs.lazymm") && errno != EEXIST) die("symlink ffs.lazymm");
	mkdir_ok(FFS_MOUNT);
	if (mount("lazymm", FFS_MOUNT, "functionfs", 0, NULL)) die("mount functionfs");
	if ((ffs_ep0 = open(FFS_MOUNT "/ep0", O_RDWR)) < 0) die("open ep0");
	if (write(ffs_ep0, &ffs_descs, sizeof(ffs_descs)) != sizeof(ffs_descs)) die("write descriptors");
	if (write(ffs_ep0, &ffs_strings, sizeof(ffs_strings)) != sizeof(ffs_strings)) die("write strings");
	put(GADGET "/UDC", "dummy_udc.0");
	wait_ep0_event(FUNCTIONFS_ENABLE);
	if ((ffs_ep1 = open(FFS_MOUNT "/ep1", O_RDWR)) < 0) die("open ep1");
}

static void gadget_down(void) {
	put(GADGET "/UDC", "\n");
	close(ffs_ep1);
	close(ffs_ep0);
	if (umount(FFS_MOUNT)) die("umount functionfs");
}

/* The device's usbfs node and bulk OUT endpoint address, from /sys/bus/usb/devices. */
static int find_device(char *node, size_t n, unsigned *ep) {
	DIR *d = opendir("/sys/bus/usb/devices");
	struct dirent *e;
	char p[600], v[32], bus[16], dev[16];
	int found = 0;
	if (!d) return 0;
	while (!found && (e = readdir(d))) {
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/idProduct", e->d_name);
		if (get(p, v, sizeof(v)) || strcmp(v, PRODUCT)) continue;
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/idVendor", e->d_name);
		if (get(p, v, sizeof(v)) || strcmp(v, VENDOR)) continue;
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/busnum", e->d_name);
		if (get(p, bus, sizeof(bus))) continue;
		snprintf(p, sizeof(p), "/sys/bus/usb/devices/%s/devnum", e->d_name);
		if (get(p, dev, sizeof(dev))) continue;
		snprintf(node, n, "/dev/bus/usb/%03d/%03d", atoi(bus), atoi(dev));
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

/* H: the USB host side on CPU 2; one bulk OUT transfer of FFS_LEN bytes per round P starts. */
static pid_t fork_host(void) {
	pid_t h = fork();
	if (h < 0) die("fork");
	if (h) return h;
	pin(2);
	char node[64];
	unsigned ep = 0, intf = 0;
	int fd = -1, tries = 0;
	while (!find_device(node, sizeof(node), &ep) || (fd = open(node, O_RDWR)) < 0) {
		if (++tries > 5000) die("the gadget did not show up on the host side");
		sleep_ms(1);
	}
	if (ioctl(fd, USBDEVFS_CLAIMINTERFACE, &intf)) die("USBDEVFS_CLAIMINTERFACE");
	static char data[FFS_LEN];
	memset(data, 0x5a, sizeof(data));
	ffs_sh->host_ready = 1;
	for (int r = 1; r <= FFS_ROUNDS; r++) {
		while (ffs_sh->go < r) {}
		struct usbdevfs_bulktransfer bt = { ep, FFS_LEN, 5000, data };
		if (ioctl(fd, USBDEVFS_BULK, &bt) != FFS_LEN) die("USBDEVFS_BULK");
		ffs_sh->sent = r;
	}
	close(fd);
	_exit(0);
}

static long io_setup_(unsigned nr, aio_context_t *ctx) { return syscall(__NR_io_setup, nr, ctx); }
static long io_submit_(aio_context_t ctx, long n, struct iocb **cbs) { return syscall(__NR_io_submit, ctx, n, cbs); }
static long io_getevents_(aio_context_t ctx, long min, long max, struct io_event *ev) {
	struct timespec zero = { 0, 0 };
	return syscall(__NR_io_getevents, ctx, min, max, ev, &zero);
}
static long io_destroy_(aio_context_t ctx) { return syscall(__NR_io_destroy, ctx); }

/* fs/aio.c struct aio_ring: mapped into the process at the context's address. */
struct aio_ring_head { unsigned id, nr, head, tail; };

/*
 * The rounds, on CPU 1: a fresh untouched buffer (the worker's copy faults its pages in), one AIO
 * read of the bulk OUT endpoint, then PRIVATE_EXPEDITED calls until the completion is in the ring.
 */
static void ffs_rounds(void) {
	aio_context_t ctx = 0;
	if (io_setup_(4, &ctx)) die("io_setup");
	volatile struct aio_ring_head *ring = (volatile struct aio_ring_head *)ctx;
	while (!ffs_sh->host_ready) sleep_ms(1);
	phase("calls");
	for (int r = 1; r <= FFS_ROUNDS; r++) {
		char *buf = mmap(NULL, FFS_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (buf == MAP_FAILED) die("mmap");
		struct iocb cb = { 0 }, *cbs[1] = { &cb };
		cb.aio_fildes = ffs_ep1;
		cb.aio_lio_opcode = IOCB_CMD_PREAD;
		cb.aio_buf = (unsigned long)buf;
		cb.aio_nbytes = FFS_LEN;
		if (io_submit_(ctx, 1, cbs) != 1) die("io_submit");
		ffs_sh->go = r;
		long calls = 0;
		while (ring->head == ring->tail) {
			if (membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0)) die("membarrier");
			if (++calls > 1000000) { errno = ETIMEDOUT; die("the AIO read did not complete"); }
		}
		struct io_event ev;
		if (io_getevents_(ctx, 1, 1, &ev) != 1) die("io_getevents");
		if (ev.res != FFS_LEN || buf[0] != 0x5a || buf[FFS_LEN - 1] != 0x5a) { errno = EIO; die("the AIO read returned short or wrong data"); }
		munmap(buf, FFS_LEN);
		while (ffs_sh->sent < r) sleep_ms(1);
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
static void ffs_scenario(const char *name, int second_thread) {
	wl_start(name);
	ffs_sh = shared_page();
	gadget_up();
	pid_t h = fork_host();
	pin(1);
	must_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
	pthread_t t = 0;
	if (second_thread) {
		if (pipe(sleeper_pipe)) die("pipe");
		t = thread_on(0, sleeper, NULL);
	}
	ffs_rounds();
	if (second_thread) {
		if (write(sleeper_pipe[1], "x", 1) != 1) die("write");
		pthread_join(t, NULL);
	}
	waitpid(h, NULL, 0);
	pin(0);
	gadget_down();
	wl_done();
}
