#!/usr/bin/env bash
# Builds the guest's initramfs: the static busybox, the kernel modules fetch-kernel.sh kept (in load order) and the
# two boot stages in guest/. Nothing of the host is copied in beyond that: the guest's root is the host's / over 9p.
# Usage: build-initramfs.sh KERNEL_DIR OUTPUT  (KERNEL_DIR as fetch-kernel.sh prints it)
set -euo pipefail

kernel_dir=$1
output=$2
here=$(cd "$(dirname "$0")" && pwd)
busybox=${VMLANE_BUSYBOX:-/bin/busybox}

if ! "$busybox" --list 2>/dev/null | grep -qx switch_root; then
  echo "build-initramfs: $busybox is not a busybox with switch_root (install busybox-static)" >&2
  exit 1
fi
if ldd "$busybox" >/dev/null 2>&1; then
  echo "build-initramfs: $busybox is dynamically linked; the initramfs has no libc (install busybox-static)" >&2
  exit 1
fi

staging=$(mktemp -d "${TMPDIR:-/tmp}/junit-sandbox-vmlane-initramfs.XXXXXX")
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging"/{bin,dev,proc,sys,mnt/lower,mnt/rw,newroot,modules}
cp "$busybox" "$staging/bin/busybox"
ln -s busybox "$staging/bin/sh"
cp "$kernel_dir"/modules/* "$kernel_dir/modules.load" "$staging/modules/"
install -m 755 "$here/guest/stage1-init.sh" "$staging/init"
install -m 755 "$here/guest/stage2.sh" "$staging/stage2.sh"
mkdir -p "$(dirname "$output")"
(cd "$staging" && find . | "$busybox" cpio -o -H newc 2>/dev/null) | gzip -1 > "$output.partial"
mv "$output.partial" "$output"
