#!/bin/sh
# The lane, run as root inside the VM (cgroup v2 only): the runtime's cgroup tests, then the tests tagged
# cgroup-v2-kernel as root and as an unprivileged user in a delegated subtree, the device allowlist's tests as root,
# then a plain user's build with nothing
# configured: alone in a cgroup delegated to it (explicit limits hold) and in root's (they fail naming the fix).
# run.sh wrote /vmlane/out/lane.env.
# Exits non-zero when a test failed, when a cgroup-v2-kernel test was aborted (they abort only off cgroup v2:
# here that means the lane did not prove what it is for), or when a junit-sandbox cgroup is left.
set -u
. /vmlane/out/lane.env

cgroot=/sys/fs/cgroup
delegated=$cgroot/deleg
scope=$cgroot/user-scope
undelegated=$cgroot/root-owned
failures=0

fail() {
  echo "LANE FAILED: $*"
  failures=$((failures + 1))
}

echo "lane: kernel $(uname -r), $(nproc) CPUs, cmdline: $(cat /proc/cmdline)"
echo "lane: cgroup2 controllers: $(cat $cgroot/cgroup.controllers); v1 hierarchies in /proc/cgroups:" \
  "$(awk 'NR > 1 && $2 != 0' /proc/cgroups | wc -l); cgroup v1 mounts: $(grep -c ' cgroup ' /proc/mounts)"
echo "+memory +pids" > $cgroot/cgroup.subtree_control || fail "enable memory and pids at the root"

# The user's JVM cannot read /root/.m2 (mode 700): the class path goes where it can, in the guest's tmpfs layer.
classpath=""
n=0
mkdir -p /opt/vmlane/cp
for entry in $(tr ':' ' ' < "$LANE_CLASSPATH_FILE"); do
  n=$((n + 1))
  if [ -d "$entry" ]; then copy=/opt/vmlane/cp/$n; else copy=/opt/vmlane/cp/$n.jar; fi
  cp -r "$entry" "$copy" || fail "copy $entry into the guest"
  classpath=$classpath${classpath:+:}$copy
done
cp "$LANE_CONSOLE_JAR" /opt/vmlane/console.jar
chmod -R a+rX /opt/vmlane

user=$LANE_ROOTLESS_USER
if ! id "$user" >/dev/null 2>&1; then
  # Only the guest's overlay layer gets the account: the host's /etc/passwd is read-only and untouched.
  echo "$user:x:1999:1999::/tmp:/bin/sh" >> /etc/passwd
  echo "$user:x:1999:" >> /etc/group
fi
uid=$(id -u "$user")
gid=$(id -g "$user")

# What systemd's Delegate=yes gives a user: the cgroup and its cgroup.procs, cgroup.subtree_control, cgroup.threads
# owned by the user, the controllers enabled in the parent. The user's processes go in a leaf (deleg/leader) so
# that deleg itself may enable controllers for its children (no internal processes).
mkdir $delegated $delegated/leader
for f in "" /cgroup.procs /cgroup.subtree_control /cgroup.threads /leader /leader/cgroup.procs /leader/cgroup.subtree_control /leader/cgroup.threads; do
  chown "$uid:$gid" "$delegated$f" || fail "chown $delegated$f"
done

# systemd-run --user --scope -p Delegate=yes: the scope holds the build's processes itself, owned like deleg above.
mkdir $scope $undelegated
for f in "" /cgroup.procs /cgroup.subtree_control /cgroup.threads; do
  chown "$uid:$gid" "$scope$f" || fail "chown $scope$f"
done

# /tmp is the host's, seen through the overlay, and changes under it while other builds run there: the JVMs get a
# temp and state directory of the guest's own.
mkdir -p /vmlane/tmp
mount -t tmpfs -o mode=1777 tmpfs /vmlane/tmp || fail "mount a tmpfs on /vmlane/tmp"
java_options="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/vmlane/tmp -Djunit.sandbox.stateDir=/vmlane/tmp"

# The user's JVM in a cgroup: moved there while still root, then the user's uid, gid and groups.
as_user_in() {
  sh -c 'echo $$ > "$0/cgroup.procs" && u=$1 g=$2 && shift 2 && exec setpriv --reuid="$u" --regid="$g" --init-groups --reset-env "$@"' \
    "$@"
}
as_delegated_user() { as_user_in "$delegated/leader" "$uid" "$gid" "$@"; }
as_user_in_scope() { as_user_in "$scope" "$uid" "$gid" "$@"; }
as_user_in_root_owned() { as_user_in "$undelegated" "$uid" "$gid" "$@"; }

# run_console NAME RUNNER "JVM-OPTIONS" CONSOLE-ARGS...: the console launcher started by RUNNER (env or
# as_delegated_user), its report in /vmlane/out/NAME.txt. A test that hangs fails after 120 s, not the whole VM.
# jqwik records its runs in the working directory by default: "/", which the delegated user may not write.
run_console() {
  name=$1
  runner=$2
  jvm_options=$3
  shift 3
  started=$(date +%s)
  # shellcheck disable=SC2086
  $runner "$LANE_JAVA" $java_options $jvm_options -Djunit.sandbox.cacheDir=/vmlane/tmp/cache-$name \
    -jar /opt/vmlane/console.jar execute --disable-banner --disable-ansi-colors --details=tree \
    --config=junit.jupiter.execution.timeout.default=120s \
    --config=jqwik.database=/vmlane/tmp/jqwik-database-$name \
    --class-path "$classpath" "$@" \
    > /vmlane/out/$name.txt 2>&1
  status=$?
  cat /vmlane/out/$name.txt
  echo "lane: $name: console launcher exit $status after $(( $(date +%s) - started )) s"
  if [ $status -ne 0 ]; then
    fail "$name: console launcher exit $status (a test failed)"
  fi
}

count() {
  sed -n "s/^\[ *\([0-9][0-9]*\) $2 *\]$/\1/p" /vmlane/out/$1.txt
}

# A run whose tests must all have run on this kernel: found = successful > 0, nothing aborted or failed.
require_all_succeeded() {
  found=$(count "$1" "tests found")
  succeeded=$(count "$1" "tests successful")
  aborted=$(count "$1" "tests aborted")
  containers_aborted=$(count "$1" "containers aborted")
  if [ -z "$found" ] || [ "$found" -eq 0 ] || [ "$found" != "$succeeded" ] || [ "$aborted" != 0 ] || [ "$containers_aborted" != 0 ]; then
    fail "$1: tests found ${found:-?}, successful ${succeeded:-?}, aborted ${aborted:-?}, containers aborted ${containers_aborted:-?}:" \
      "expected found = successful > 0 and none aborted (an aborted cgroup-v2-kernel test means this kernel did not offer what it needs)"
  fi
}

cgroup_package="--select-package io.github.junitsandbox.runtime.cgroup"
if [ "$LANE_SCOPE" = all ]; then
  # The whole runtime-native suite as root: slow under TCG, not part of CI; its aborted tests are reported, not failed.
  # From the module's directory, as surefire runs it (some tests find the build's output relative to it).
  cd "$LANE_MODULE_DIR" || fail "cd $LANE_MODULE_DIR"
  run_console all env "" --scan-classpath
  echo "lane: all: $(count all "tests found") found, $(count all "tests successful") successful, $(count all "tests aborted") aborted"
else
  # shellcheck disable=SC2086
  run_console driver env "" $cgroup_package --exclude-tag cgroup-v2-kernel
  echo "lane: driver: $(count driver "tests found") found, $(count driver "tests successful") successful," \
    "$(count driver "tests aborted") aborted (tests written for the hybrid layout of the build machine abort here)"
  # shellcheck disable=SC2086
  run_console kernel-root env "" $cgroup_package --include-tag cgroup-v2-kernel
  require_all_succeeded kernel-root
  # the device allowlist as this machine's driver enforces it on cgroup v2: a device program per container
  run_console devices-root env "" --select-class io.github.junitsandbox.runtime.DeviceAllowlistTest
  require_all_succeeded devices-root
  runner_says=$(as_delegated_user sh -c 'echo "$(id -u) $(cat /proc/self/cgroup)"')
  if [ "$runner_says" != "$uid 0::/deleg/leader" ]; then
    fail "the delegated user's runner gives uid and cgroup \"$runner_says\", expected \"$uid 0::/deleg/leader\""
  fi
  # shellcheck disable=SC2086
  run_console kernel-rootless as_delegated_user -Djunit.sandbox.cgroupParent=deleg $cgroup_package --include-tag cgroup-v2-kernel
  require_all_succeeded kernel-rootless
  delegation=io.github.junitsandbox.runtime.cgroup.RootlessV2DelegationTest
  run_console rootless-scope as_user_in_scope -Dsandbox.lane.cgroup=delegated \
    --select-method "$delegation#inItsOwnDelegatedCgroupAnExplicitMemoryLimitHolds"
  require_all_succeeded rootless-scope
  run_console rootless-undelegated as_user_in_root_owned -Dsandbox.lane.cgroup=undelegated \
    --select-method "$delegation#inACgroupNotDelegatedAnExplicitLimitFailsNamingSystemdRunAndTheDefaultsStillRun"
  require_all_succeeded rootless-undelegated
  # What the runtime moved the build's processes to; systemd removes it with the scope when the build ends.
  rmdir "$scope/junit-sandbox-processes" || fail "rmdir $scope/junit-sandbox-processes (empty once the JVM exited)"
fi

left=$(find $cgroot -name 'junit-sandbox*')
if [ -n "$left" ]; then
  fail "cgroups left behind: $left"
fi

echo "lane: $failures failure(s)"
[ $failures -eq 0 ]
