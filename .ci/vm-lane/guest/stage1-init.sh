#!/bin/sh
# PID 1 in the initramfs: load the modules, mount the host's / read-only over 9p under a tmpfs overlay, mount the
# writable share that carries the exit code back, and switch_root into the overlay to run stage2.sh there.
# Any failure powers the VM off at once, after saying which step failed (the host reports a missing exit code).
export PATH=/bin
busybox mount -t proc proc /proc
busybox mount -t sysfs sysfs /sys
busybox mount -t devtmpfs devtmpfs /dev

die() {
  echo "VMLANE_STAGE1_FAILED: $*"
  busybox poweroff -f
}

while read -r module; do
  busybox insmod "/modules/$module" || die "insmod /modules/$module"
done < /modules/modules.load

busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=loose,ro hostroot /mnt/lower \
  || die "mount the host's / (9p tag hostroot) on /mnt/lower"
busybox mount -t tmpfs -o mode=755 tmpfs /mnt/rw || die "mount tmpfs on /mnt/rw"
busybox mkdir -p /mnt/rw/upper /mnt/rw/work
busybox mount -t overlay -o lowerdir=/mnt/lower,upperdir=/mnt/rw/upper,workdir=/mnt/rw/work overlay /newroot \
  || die "mount the overlay on /newroot"
busybox mkdir -p /newroot/vmlane/out
busybox mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 vmlaneout /newroot/vmlane/out \
  || die "mount the output share (9p tag vmlaneout)"
# stage2 must not depend on the host having busybox where it expects it.
busybox cp /bin/busybox /newroot/vmlane/busybox
busybox cp /stage2.sh /newroot/vmlane/stage2.sh
busybox umount /proc /sys /dev
exec busybox switch_root /newroot /vmlane/busybox sh /vmlane/stage2.sh
