#!/usr/bin/env bash
# The cgroup v2 real-kernel lane: builds the runtime and its tests on the host, boots Debian's 6.1 kernel with
# cgroup v2 only (cgroup_no_v1=all) in a throwaway VM that sees the host's / read-only, and runs there, with the
# JUnit console launcher, the runtime's cgroup tests and the tests tagged cgroup-v2-kernel (as root and as a user
# with a delegated subtree). Exits non-zero if a test failed or a cgroup-v2-kernel test was aborted.
# Usage: run.sh [--all]   --all: the whole runtime-native test suite in the VM instead (slow under TCG; not in CI).
# Cache (kernel, initramfs): $VMLANE_CACHE, default ~/.cache/junit-sandbox-vmlane. Run output, console log and
# reports: runtime-native/target/vm-lane/. Needs root's packages: qemu-system-x86, busybox-static.
set -euo pipefail

case "${1:-}" in
  "") scope=cgroup ;;
  --all) scope=all ;;
  *) echo "vm-lane: unknown argument $1 (accepted: --all)" >&2; exit 2 ;;
esac
here=$(cd "$(dirname "$0")" && pwd)
project=$(cd "$here/../.." && pwd)
cache=${VMLANE_CACHE:-$HOME/.cache/junit-sandbox-vmlane}
work=$project/runtime-native/target/vm-lane
lane_started=$(date +%s.%N)

elapsed_since() {
  awk -v from="$1" -v to="$(date +%s.%N)" 'BEGIN { printf "%.1f", to - from }'
}

rm -rf "$work"
mkdir -p "$work/out"

echo "vm-lane: building the runtime and its tests on the host"
mvn -B -ntp -q -f "$project/pom.xml" -pl runtime-native test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$work/dependencies.txt"
# The standalone console launcher carries the JUnit Platform and Jupiter: the same version, so not twice on the path.
platform_jar=$(tr ':' '\n' < "$work/dependencies.txt" | grep '/junit-platform-engine-[^/]*\.jar$')
platform_version=$(basename "$platform_jar" .jar)
platform_version=${platform_version#junit-platform-engine-}
mvn -B -ntp -q -f "$project/pom.xml" -N org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
  -Dartifact="org.junit.platform:junit-platform-console-standalone:$platform_version" -DoutputDirectory="$work"
{
  echo "$project/runtime-native/target/test-classes:$project/runtime-native/target/classes:"
  tr ':' '\n' < "$work/dependencies.txt" | grep -vE '/org/junit/|/org/opentest4j/|/org/apiguardian/' | paste -sd:
} | tr -d '\n' > "$work/classpath.txt"
build_seconds=$(elapsed_since "$lane_started")

kernel_dir=$("$here/fetch-kernel.sh" | tail -n1)
initramfs="$cache/initramfs-$(basename "$kernel_dir").cpio.gz"
"$here/build-initramfs.sh" "$kernel_dir" "$initramfs"

java=$(readlink -f "$(command -v java)")
cat > "$work/out/lane.env" <<ENV
LANE_JAVA=$java
LANE_CLASSPATH_FILE=$work/classpath.txt
LANE_CONSOLE_JAR=$work/junit-platform-console-standalone-$platform_version.jar
LANE_ROOTLESS_USER=${VMLANE_ROOTLESS_USER:-sandboxci}
LANE_SCOPE=$scope
LANE_MODULE_DIR=$project/runtime-native
ENV

vm_started=$(date +%s.%N)
set +e
"$here/qemu-run.sh" "$kernel_dir/vmlinuz" "$initramfs" "$here/guest/lane.sh" "$work/out" 2>&1 \
  | while IFS= read -r line; do
      case "$line" in
        VMLANE_READY*) echo "$(elapsed_since "$vm_started")" > "$work/ready-seconds" ;;
      esac
      printf '%s\n' "$line"
    done | tee "$work/console.log"
status=${PIPESTATUS[0]}
set -e
vm_seconds=$(elapsed_since "$vm_started")

echo "vm-lane: host build ${build_seconds} s; VM start to guest command $(cat "$work/ready-seconds" 2>/dev/null || echo '?') s;" \
  "VM total ${vm_seconds} s; lane total $(elapsed_since "$lane_started") s; exit $status"
exit "$status"
