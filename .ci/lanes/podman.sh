#!/usr/bin/env bash
# The inside-a-container lane: the runtime's LaunchedContainerTest and the end-to-end examples run inside a podman
# container, as a CI job that runs in a container does.
#   privileged    (--privileged): everything must pass;
#   CI-like       (podman's default capabilities, seccomp profile, masked /proc paths, as GitHub Actions' container
#                  jobs and GitLab's docker executor give): every test that launches a container must fail, and its
#                  message must say what the outer container lacks; the same with --security-opt seccomp=unconfined.
# The container needs no image and no registry: its root is a directory of a few symlinks, with this machine's /usr and
# /etc bound read-only (the JDK and Maven are in /usr), the project and ~/.m2 as throwaway overlays (what the build
# writes inside is dropped). Maven runs offline: run `mvn verify` (or at least `mvn test-compile`) before this lane.
#
# Usage: .ci/lanes/podman.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
project=$(pwd)

command -v podman >/dev/null || { echo "podman lane: podman is not installed (Debian's podman; .ci/setup installs it)" >&2; exit 1; }
command -v runc >/dev/null || { echo "podman lane: runc is not installed (Debian's runc; .ci/setup installs it)" >&2; exit 1; }
[ -d "$HOME/.m2/repository" ] || { echo "podman lane: no $HOME/.m2/repository: run mvn verify first (Maven runs offline inside)" >&2; exit 1; }

work=$(mktemp -d /tmp/junit-sandbox-podman-lane.XXXXXX)
cleanup() {
  podman rm --all --force >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# podman's own configuration, for this lane only (nothing under /etc/containers changes). runc, because Debian 12's
# crun fails on this machine's hybrid cgroup layout; cgroupfs and a file event log, because there is no systemd;
# ulimits that root may set here: root lacks CAP_SYS_RESOURCE, so podman's default (1048576) fails, and so does any
# nproc above 32768, the hard limit runc ends up with here (measured).
export CONTAINERS_CONF=$work/containers.conf CONTAINERS_STORAGE_CONF=$work/storage.conf
cat >"$CONTAINERS_CONF" <<EOF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
cat >"$CONTAINERS_STORAGE_CONF" <<EOF
[storage]
driver = "vfs"
graphroot = "$work/storage"
runroot = "$work/run"
EOF

# A root of a few directories and the merged-/usr symlinks; everything else is bound from the host.
mkdir -p "$work/root"/{usr,etc,proc,sys,dev,run,tmp,var/tmp,root,project}
for d in bin sbin lib lib64; do ln -s "usr/$d" "$work/root/$d"; done
chmod 1777 "$work/root/tmp" "$work/root/var/tmp"

tests='LaunchedContainerTest,io.github.junitsandbox.examples.*Test'
# in_container NAME PODMAN_OPTIONS...: runs the selected tests; the reports land in $work/NAME, Maven's output in
# $work/NAME.log; returns Maven's status.
in_container() {
  local name=$1
  shift
  mkdir -p "$work/$name"
  podman run --rm --network none --hostname ci-container \
    -v /usr:/usr:ro -v /etc:/etc:ro -v "$project:/project:O" -v "$HOME/.m2:/root/.m2:O" -v "$work/$name:/reports" \
    --env HOME=/root --env JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}" \
    "$@" --rootfs "$work/root" /bin/sh -c "
      cd /project
      mvn -B -ntp -o -pl runtime-native,src -am test -Dtest='$tests' -Dsurefire.failIfNoSpecifiedTests=false
      status=\$?
      for m in runtime-native src; do cp -r \$m/target/surefire-reports /reports/\$m 2>/dev/null; done
      exit \$status" >"$work/$name.log" 2>&1
}

lane_start=$(date +%s)
in_container privileged --privileged
echo "privileged: maven exited $?"
tail -40 "$work/privileged.log"
in_container ci-like
echo "ci-like: maven exited $?"
grep -h -o 'message="[^"]*"' "$work/ci-like"/*/*.xml | sort | uniq -c | head -40
echo "lane took $(( $(date +%s) - lane_start )) s"
