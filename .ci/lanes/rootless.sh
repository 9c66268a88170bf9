#!/usr/bin/env bash
# The example suite and the extension's tests run by a plain user, as most developers and CI runners run Maven:
#   1. with no host set-up beyond .ci/setup (the uidmap package, the account with its subordinate ids), under
#      junit.sandbox.unsupported=abort: nothing may fail, and the only tests skipped for the host are those that
#      write a limit (memory, pids, cpus) that needs a delegated cgroup;
#   2. with a parent cgroup root made and chowned to that user in each v1 hierarchy (what the failure message of 1
#      tells a user to do): nothing may fail or be skipped for the host.
# The user cannot read root's checkout or Maven repository: both are copied to a directory it owns, removed after.
set -euo pipefail
cd "$(dirname "$0")/../.."
user=${ROOTLESS_USER:-sandboxci}
parent=junit-sandbox-ci
work=$(mktemp -d /tmp/junit-sandbox-rootless-lane-XXXXXX)
controllers=(memory pids cpu freezer)
cleanup() {
  for c in "${controllers[@]}"; do [ -d "/sys/fs/cgroup/$c/$parent" ] && rmdir "/sys/fs/cgroup/$c/$parent"; done
  rm -rf "$work"
}
trap cleanup EXIT
git clone -q . "$work/repo"
cp -r ~/.m2/repository "$work/m2"
chown -R "$user" "$work"
chmod 755 "$work"

# Runs the two suites as the user with extra Maven arguments; the reports go to target/rootless-<name>, and check judges them.
run_as_user() {
  local name=$1; shift
  runuser -u "$user" -- env HOME="$(getent passwd "$user" | cut -d: -f6)" \
    mvn -B -ntp -o -q -f "$work/repo/pom.xml" -Dmaven.repo.local="$work/m2" -pl extension,src -am verify \
    -Dsurefire.failIfNoSpecifiedTests=false -Dmaven.test.failure.ignore=true -Djunit.sandbox.unsupported=abort \
    '-Dtest=io/github/junitsandbox/*Test,io/github/junitsandbox/examples/**/*Test' \
    "-Dtest.reports=\${project.build.directory}/rootless-$name" "$@"
}

# Prints the counts of one run and every skip with its reason; fails on any failure or error, and on a skip for what the
# host lacks (an UnsupportedHostException: "cannot enforce ...", "... needs ...") whose reason does not match $2.
check() {
  local name=$1 allowed=$2
  local all
  all=$(cat "$work"/repo/{extension,src}/target/rootless-"$name"/TEST-*.xml)
  local tests failures errors skips host_skips
  tests=$(grep -c '<testcase ' <<<"$all" || true)
  failures=$(grep -c '<failure ' <<<"$all" || true)
  errors=$(grep -c '<error ' <<<"$all" || true)
  # a skip's reason: its message attribute, or the first line of the exception it holds
  skips=$(grep -o '<skipped.*' <<<"$all" | sed -E 's/^<skipped message="([^"]*)".*/\1/; s/^<skipped type="[^"]*"><!\[CDATA\[//' || true)
  host_skips=$(grep 'cannot enforce\|needs ids\|not delegated' <<<"$skips" || true)
  echo "rootless lane, $name: $tests tests, $failures failures, $errors errors, $(grep -c . <<<"$skips" || true) skipped:"
  sort <<<"$skips" | uniq -c | cut -c1-200 | sed 's/^/  /'
  if [ "$tests" -eq 0 ] || [ "$failures" -ne 0 ] || [ "$errors" -ne 0 ]; then
    # the reports go with the lane's directory: what failed is printed here, the test and the head of its message
    grep -h -A12 '<failure \|<error ' "$work"/repo/{extension,src}/target/rootless-"$name"/TEST-*.xml | cut -c1-300 >&2
    echo "rootless lane, $name: failures or errors" >&2
    exit 1
  fi
  if [ -n "$host_skips" ] && grep -v -- "$allowed" <<<"$host_skips"; then
    echo "rootless lane, $name: a test was skipped for something the host lacks other than: $allowed" >&2
    exit 1
  fi
}

run_as_user plain
check plain "cannot enforce \(memory\|pids [0-9]*\|a CPU\|cpu\)"

for c in "${controllers[@]}"; do
  dir=/sys/fs/cgroup/$c/$parent
  mkdir -p "$dir"
  chown "$user" "$dir" "$dir/cgroup.procs" "$dir/tasks"
done
run_as_user delegated -Djunit.sandbox.cgroupParent=$parent
check delegated "^$"
