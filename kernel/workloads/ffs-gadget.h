/*
 * The FunctionFS gadget of the ffs-aio scenarios (see gadget-aio.h): a configfs gadget with one
 * FunctionFS function (ep0 owned by this process, one bulk OUT endpoint ep1), bound to dummy_udc.0.
 *
 * Models: drivers/usb/gadget/function/f_fs.c ffs_epfile_io() (an async read saves io_data->mm =
 * current->mm), ffs_epfile_async_io_complete() -> queue_work(ffs->io_completion_wq) ->
 * ffs_user_copy_worker(): kthread_use_mm(io_data->mm); copy to the user buffer; kthread_unuse_mm().
 * io_completion_wq is an ordered (unbound) workqueue made at mount (ffs_data_new()); with
 * nohz_full=1,2 unbound workers run on the housekeeping CPU 0. Debian's 6.1.192-3 build takes
 * mmget_not_zero(io_data->mm) before kthread_use_mm() and mmput() after kthread_unuse_mm() (its
 * usb_f_fs.ko imports mmput; docs/findings/single-user-shortcuts-miss-kthread-use-mm.md).
 */
#include "gadget-aio.h"
#include <linux/usb/functionfs.h>

#define CONFIGFS "/sys/kernel/config"
#define GADGET CONFIGFS "/usb_gadget/lazymm"
#define FFS_MOUNT "/dev/ffs-lazymm"
#define FFS_PRODUCT "0104"

static int ffs_ep0 = -1, ffs_ep1 = -1;

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
static void ffs_up(void) {
	if (mount("none", CONFIGFS, "configfs", 0, NULL) && errno != EBUSY) die("mount configfs");
	mkdir_ok(GADGET);
	put(GADGET "/idVendor", "0x" VENDOR);
	put(GADGET "/idProduct", "0x" FFS_PRODUCT);
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

static void ffs_down(void) {
	put(GADGET "/UDC", "\n");
	close(ffs_ep1);
	close(ffs_ep0);
	if (umount(FFS_MOUNT)) die("umount functionfs");
}

static const struct gadget_ops ffs_gadget = { FFS_PRODUCT, ffs_up, ffs_down, &ffs_ep1 };
