/*
 * The gadgetfs gadget of the gfs-aio scenarios (see gadget-aio.h): the legacy gadgetfs
 * (drivers/usb/gadget/legacy/inode.c) mounted at /dev/gadget, its controller file dummy_udc
 * configured with one configuration (one interface, one bulk OUT endpoint) and owned by this
 * process, then dummy_hcd's endpoint file ep2out-bulk (endpoint 2, OUT) once the host configured
 * the device. This process never reads ep0: gadgetfs_setup() delegates SET_CONFIGURATION to user
 * space only once ep0 was read (dev->usermode_setup), so the kernel answers every control request
 * itself. (An earlier version read ep0 and answered the delegated SET_CONFIGURATION with a 0-byte
 * read; once the host timed out on it, and closing ep0 with the request pending oopsed in
 * ep0_complete() from dev_release(): a NULL dereference.)
 *
 * Models: drivers/usb/gadget/legacy/inode.c ep_aio() (priv->mm = current->mm, "mm teardown waits
 * for iocbs in exit_aio()", no reference), ep_aio_complete() -> schedule_work() (the
 * system workqueue, on the completing CPU) -> ep_user_copy_worker(): kthread_use_mm(mm);
 * copy_to_iter(); kthread_unuse_mm(mm). Debian's 6.1.192-3 gadgetfs.ko takes no mm_users there
 * (ep_user_copy_worker() calls kthread_use_mm() with no atomic before it; the module imports no mmput).
 */
#include "gadget-aio.h"
#include <linux/usb/gadgetfs.h>

#define GFS_MOUNT "/dev/gadget"
#define GFS_PRODUCT "0105"

/* dummy_hcd's gadget endpoint "ep2out-bulk" (drivers/usb/gadget/udc/dummy_hcd.c ep_info[]). */
#define GFS_EP_FILE GFS_MOUNT "/ep2out-bulk"
#define GFS_EP_ADDR (USB_DIR_OUT | 2)

static int gfs_ep0 = -1, gfs_ep = -1;

struct ep_desc7 {
	__u8 bLength, bDescriptorType, bEndpointAddress, bmAttributes;
	__le16 wMaxPacketSize;
	__u8 bInterval;
} __attribute__((packed));

struct gfs_config_desc {
	struct usb_config_descriptor c;
	struct usb_interface_descriptor i;
	struct ep_desc7 e;
} __attribute__((packed));

#define GFS_CONFIG(maxp) { \
	{ USB_DT_CONFIG_SIZE, USB_DT_CONFIG, sizeof(struct gfs_config_desc), 1, 1, 0, USB_CONFIG_ATT_ONE | USB_CONFIG_ATT_SELFPOWER, 1 }, \
	{ USB_DT_INTERFACE_SIZE, USB_DT_INTERFACE, 0, 0, 1, USB_CLASS_VENDOR_SPEC, 0, 0, 0 }, \
	{ USB_DT_ENDPOINT_SIZE, USB_DT_ENDPOINT, GFS_EP_ADDR, USB_ENDPOINT_XFER_BULK, maxp, 0 } }

/* Message type 0 to the controller file: full-speed config, high-speed config, device descriptor. */
static const struct {
	__u32 tag;
	struct gfs_config_desc fs, hs;
	struct usb_device_descriptor dev;
} __attribute__((packed)) gfs_dev_config = {
	0, GFS_CONFIG(64), GFS_CONFIG(512),
	{ USB_DT_DEVICE_SIZE, USB_DT_DEVICE, 0x0200, 0, 0, 0, 0, 0x1d6b, 0x0105, 0x0100, 0, 0, 0, 1 },
};

/* Message type 1 to the endpoint file: its full-speed then high-speed descriptor. */
static struct {
	__u32 tag;
	struct ep_desc7 fs, hs;
} __attribute__((packed)) gfs_ep_config = { 1, { 0 }, { 0 } };

static void gfs_up(void) {
	mkdir_ok(GFS_MOUNT);
	if (mount("gadgetfs", GFS_MOUNT, "gadgetfs", 0, NULL)) die("mount gadgetfs");
	if ((gfs_ep0 = open(GFS_MOUNT "/dummy_udc", O_RDWR)) < 0) die("open " GFS_MOUNT "/dummy_udc");
	if (write(gfs_ep0, &gfs_dev_config, sizeof(gfs_dev_config)) != sizeof(gfs_dev_config)) die("write the device configuration");
	char node[64];
	unsigned ep;
	int configured = 0;
	for (int t = 0; !configured; t++) {
		if (t > 1000) { errno = ETIMEDOUT; die("the host did not configure the gadgetfs device"); }
		sleep_ms(10);
		find_device(GFS_PRODUCT, node, sizeof(node), &ep, &configured);
	}
	gfs_ep_config.fs = gfs_dev_config.fs.e;
	gfs_ep_config.hs = gfs_dev_config.hs.e;
	if ((gfs_ep = open(GFS_EP_FILE, O_RDWR)) < 0) die("open " GFS_EP_FILE);
	if (write(gfs_ep, &gfs_ep_config, sizeof(gfs_ep_config)) != sizeof(gfs_ep_config)) die("write the endpoint configuration");
}

static void gfs_down(void) {
	close(gfs_ep);
	close(gfs_ep0); /* dev_release(): usb_gadget_unregister_driver() */
	if (umount(GFS_MOUNT)) die("umount gadgetfs");
}

static const struct gadget_ops gfs_gadget = { GFS_PRODUCT, gfs_up, gfs_down, &gfs_ep };
