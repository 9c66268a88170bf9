#!/usr/bin/env bash
# Fuzzes the launcher's command-line parsing (runtime-native/src/test/c/fuzz/options_fuzzer.c) with libFuzzer
# for a fixed budget, starting from the corpus kept in the repository. Fails on any crash, sanitizer report,
# leak or timeout; the input that caused it is left in runtime-native/target/fuzz/ to reproduce with
#   runtime-native/target/fuzz/options_fuzzer <that file>
# Usage: .ci/fuzz.sh [SECONDS]   (default 60). Needs clang and libFuzzer (clang, libfuzzer-14-dev; see .ci/setup).
set -euo pipefail
cd "$(dirname "$0")/.."

budget="${1:-60}"
src=runtime-native/src/main/c
fuzz=runtime-native/src/test/c/fuzz
out=runtime-native/target/fuzz
mkdir -p "$out/new-inputs"

# Every launcher source but main.c (the harness has its own entry point); usage_error wrapped so that a usage
# error returns to the harness instead of exiting.
sources=()
for f in "$src"/*.c; do
  [ "$(basename "$f")" = main.c ] || sources+=("$f")
done
clang -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra -Werror \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src" -Wl,--wrap=usage_error \
  -o "$out/options_fuzzer" "$fuzz/options_fuzzer.c" "${sources[@]}"

# New inputs go to target/ (the first directory); the kept corpus is only read.
"$out/options_fuzzer" -max_total_time="$budget" -timeout=10 -rss_limit_mb=1024 -print_final_stats=1 \
  -dict="$fuzz/options.dict" -artifact_prefix="$out/" \
  "$out/new-inputs" "$fuzz/corpus/options"
