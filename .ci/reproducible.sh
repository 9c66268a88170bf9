#!/usr/bin/env bash
# The published jars are reproducible: two clean builds of this commit, in a clone of its own (so that the
# test reports of the main run stay), give the same bytes. project.build.outputTimestamp fixes the entries'
# times; the launcher inside the runtime jar is a static musl build, the same for the same sources.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/junit-sandbox-reproducible-XXXXXX)
trap 'rm -rf "$work"' EXIT
git clone -q . "$work/repo"
jars=(runtime-native/target/junit-sandbox-runtime-*.jar fixtures/target/junit-sandbox-fixtures-*.jar extension/target/junit-sandbox-[0-9]*.jar)
build() {
  (cd "$work/repo" && mvn -B -ntp -q clean package -DskipTests -pl runtime-native,fixtures,extension -am)
  mkdir -p "$work/$1"
  for j in "${jars[@]}"; do cp "$work/repo/"$j "$work/$1/"; done
}
build first
build second
differ=0
for f in "$work"/first/*.jar; do
  if cmp -s "$f" "$work/second/$(basename "$f")"; then
    echo "reproducible: $(basename "$f") $(sha256sum < "$f" | cut -c1-16)"
  else
    echo "NOT reproducible: $(basename "$f")" >&2
    differ=1
  fi
done
exit $differ
