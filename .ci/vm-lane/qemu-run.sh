#!/usr/bin/env bash
# Boots the kernel with the initramfs in a throwaway VM whose root is the host's / (read-only, 9p) under a tmpfs
# overlay, cgroup v2 only, runs SCRIPT in it as root and exits with SCRIPT's status.
# Usage: qemu-run.sh KERNEL INITRAMFS SCRIPT OUTDIR
#   SCRIPT  absolute host path (the guest sees the host's files at the same paths)
#   OUTDIR  host directory the guest sees as /vmlane/out (writable): exit-code lands there
# Environment: VMLANE_ACCEL=kvm|tcg (default: detected), VMLANE_MEMORY (2G), VMLANE_CPUS (2), VMLANE_TIMEOUT (600 s).
set -euo pipefail

kernel=$1
initramfs=$2
script=$3
outdir=$4

# KVM only where the CPU offers hardware virtualisation: a /dev/kvm backed by kvm_pvm (a nested, pagetable-based
# hypervisor) runs a stock kernel in instruction emulation, far slower than qemu's own TCG.
choose_accel() {
  if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo && [ ! -d /sys/module/kvm_pvm ]; then
    echo kvm
  else
    echo tcg
  fi
}
accel=${VMLANE_ACCEL:-$(choose_accel)}
case "$accel" in
  kvm) accel_args=(-enable-kvm -cpu host) ;;
  tcg) accel_args=(-accel tcg,thread=multi,tb-size=512 -cpu max) ;;
  *) echo "qemu-run: VMLANE_ACCEL=$accel: accepted are kvm and tcg" >&2; exit 2 ;;
esac
case "$script" in
  /*) ;;
  *) echo "qemu-run: SCRIPT must be an absolute path (the guest resolves it in the host's tree): $script" >&2; exit 2 ;;
esac

firmware=()
if [ -f /usr/share/qemu/qboot.rom ]; then
  firmware=(-bios /usr/share/qemu/qboot.rom)
fi
rm -f "$outdir/exit-code"
echo "qemu-run: accel=$accel memory=${VMLANE_MEMORY:-2G} cpus=${VMLANE_CPUS:-2} kernel=$kernel"

# The serial console ends lines with \r\n; sed -u passes each line on at once (run.sh timestamps the guest's READY).
set +e
timeout --kill-after=10 "${VMLANE_TIMEOUT:-600}" qemu-system-x86_64 "${accel_args[@]}" \
  -m "${VMLANE_MEMORY:-2G}" -smp "${VMLANE_CPUS:-2}" -M q35 "${firmware[@]}" \
  -nographic -nodefaults -no-user-config -no-reboot -serial stdio -monitor none \
  -kernel "$kernel" -initrd "$initramfs" \
  -append "console=ttyS0 quiet loglevel=3 panic=-1 cgroup_no_v1=all systemd.unified_cgroup_hierarchy=1 vmlane.script=$script" \
  -fsdev local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap \
  -device virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot \
  -fsdev local,id=vmlaneout,path="$outdir",security_model=none \
  -device virtio-9p-pci,fsdev=vmlaneout,mount_tag=vmlaneout \
  < /dev/null | sed -u 's/\r$//'
qemu_status=${PIPESTATUS[0]}
set -e

if [ "$qemu_status" -eq 124 ] || [ "$qemu_status" -eq 137 ]; then
  echo "qemu-run: the VM did not power off within ${VMLANE_TIMEOUT:-600} s; killed" >&2
  exit 1
fi
if [ ! -s "$outdir/exit-code" ]; then
  echo "qemu-run: the VM wrote no exit code to $outdir/exit-code (qemu exited with $qemu_status; the console above says how far the guest got)" >&2
  exit 1
fi
exit "$(cat "$outdir/exit-code")"
