#!/usr/bin/env bash
# Puts Debian 12's stock kernel (linux-image-amd64, 6.1) into the lane's cache, unpacked, never installed:
# `apt-get download` + `dpkg-deb -x` write no /boot, run no maintainer scripts and pull no initramfs-tools/udev.
# Keeps vmlinuz and only the modules the guest loads (virtio PCI, 9p, overlay; Debian builds them as modules),
# with their dependencies, and modules.load listing them in load order (dependencies first).
# Output: $VMLANE_CACHE/kernel/<version>/{vmlinuz,modules/*.ko,modules.load}; $VMLANE_CACHE/kernel/current -> <version>.
# Downloads once (~70 MB); a later run with the same version does nothing.
set -euo pipefail

cache=${VMLANE_CACHE:-$HOME/.cache/junit-sandbox-vmlane}
metapackage=${VMLANE_KERNEL_PACKAGE:-linux-image-amd64}
wanted=(virtio_pci 9pnet_virtio 9p overlay)

versioned_package() {
  apt-cache depends "$metapackage" 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n1
}

# Before the first download the package lists must be current: the security archive replaces kernel packages, so an
# old list can name a version the mirror no longer has.
if [ ! -e "$cache/kernel/current" ] || [ -z "$(versioned_package)" ]; then
  apt-get update -qq || echo "fetch-kernel: apt-get update failed; going on with the package lists there are" >&2
fi
# The metapackage only depends on the versioned image package: that one holds the files.
package=$(versioned_package)
if [ -z "$package" ]; then
  echo "fetch-kernel: apt-cache depends $metapackage names no linux-image-<version> package (is Debian's apt source configured?)" >&2
  exit 1
fi
version=${package#linux-image-}
target="$cache/kernel/$version"

# The extracted deb has no modules.dep (depmod makes it at install time): read each module's depends= from its .modinfo.
module_file() {
  local found
  found=$(find "$tree" -name "$1.ko" -o -name "$1.ko.xz" -o -name "$1.ko.zst" | head -n1)
  if [ -z "$found" ]; then
    found=$(find "$tree" -name "${1//_/-}.ko*" | head -n1)
  fi
  if [ -z "$found" ]; then
    echo "fetch-kernel: module $1 is not in $package" >&2
    exit 1
  fi
  echo "$found"
}

module_depends() {
  local file=$1
  case "$file" in
    *.xz) xz -dc "$file" ;;
    *.zst) zstd -dc "$file" ;;
    *) cat "$file" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}

add_with_dependencies() {
  local name=$1 file dep
  case " ${ordered[*]} " in *" $name "*) return ;; esac
  file=$(module_file "$name")
  for dep in $(module_depends "$file"); do
    add_with_dependencies "$dep"
  done
  ordered+=("$name")
  cp "$file" "$target.partial/modules/"
  echo "$(basename "$file")" >> "$target.partial/modules.load"
}

if [ ! -f "$target/vmlinuz" ]; then
  download=$(mktemp -d "${TMPDIR:-/tmp}/junit-sandbox-vmlane-deb.XXXXXX")
  trap 'rm -rf "$download"' EXIT
  # As root, apt-get download fetches as the _apt user, which needs to write the directory.
  chmod 777 "$download"
  (cd "$download" && apt-get download -q "$package")
  dpkg-deb -x "$download"/"$package"_*.deb "$download/pkg"
  tree="$download/pkg"
  rm -rf "$target.partial"
  mkdir -p "$target.partial/modules"
  cp "$download/pkg/boot/vmlinuz-$version" "$target.partial/vmlinuz"
  ordered=()
  for m in "${wanted[@]}"; do
    add_with_dependencies "$m"
  done
  mv "$target.partial" "$target"
fi
ln -sfn "$version" "$cache/kernel/current"
echo "$target"
