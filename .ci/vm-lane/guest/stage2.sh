#!/vmlane/busybox sh
# PID 1 in the overlay root: fresh /proc, /sys, /dev, /run (the 9p lower shows the host's), cgroup2 alone at
# /sys/fs/cgroup, then the lane's script named on the kernel command line (vmlane.script=PATH, a host path seen
# through the overlay). Its exit status goes to the output share and to the console; then the VM powers off.
bb=/vmlane/busybox
$bb mount -t proc proc /proc
$bb mount -t sysfs sysfs /sys
$bb mount -t devtmpfs devtmpfs /dev
$bb mkdir -p /dev/pts /dev/shm
$bb mount -t devpts devpts /dev/pts
$bb mount -t tmpfs -o mode=1777 tmpfs /dev/shm
$bb mount -t tmpfs -o mode=755 tmpfs /run
# /tmp stays the overlay's view of the host's /tmp (writes land in the tmpfs upper): a tmpfs there would hide it.
$bb mount -t cgroup2 -o nsdelegate cgroup2 /sys/fs/cgroup
$bb hostname vmlane
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb

script=$($bb sed -n 's/.*vmlane\.script=\([^ ]*\).*/\1/p' /proc/cmdline)
echo "VMLANE_READY uptime=$($bb cut -d' ' -f1 /proc/uptime)s kernel=$($bb uname -r)"
if [ -z "$script" ] || [ ! -f "$script" ]; then
  echo "stage2: no lane script: vmlane.script=\"$script\" on the kernel command line is not a file in the guest"
  status=127
else
  /bin/sh "$script"
  status=$?
fi
echo "$status" > /vmlane/out/exit-code
$bb sync
echo "VMLANE_EXIT=$status"
$bb poweroff -f
