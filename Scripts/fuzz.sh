#!/usr/bin/env bash
# Builds one libFuzzer target (with AddressSanitizer) from the package's sources and runs it.
#
#   Scripts/fuzz.sh TARGET SECONDS [extra libFuzzer flags...]
#
# TARGET: array-literal | python-syntax | ipynb | verify. SECONDS: -max_total_time.
# Builds into .build-fuzz/ (ignored by git); new corpus entries go to .build-fuzz/TARGET/corpus,
# seeded from Fuzz/TARGET/corpus (the small committed seeds); crashes, hangs and leaks are
# written to .build-fuzz/TARGET/artifacts/. Exits non-zero when libFuzzer finds a problem.
set -euo pipefail
cd "$(dirname "$0")/.."

target=${1:?usage: Scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: Scripts/fuzz.sh TARGET SECONDS}
shift 2
harness=Fuzz/$target/Harness.swift
[ -f "$harness" ] || { echo "fuzz: no target '$target' (Fuzz/*/Harness.swift)" >&2; exit 2; }
command -v swiftc >/dev/null 2>&1 || export PATH="/opt/swift/usr/bin:$PATH"

out=.build-fuzz/$target
mods=.build-fuzz/modules
mkdir -p "$out/corpus" "$out/artifacts" "$mods"
flags=(-sanitize=fuzzer,address -O -g -parse-as-library -swift-version 6 -wmo -num-threads 0
  -package-name retrace)

# One object per module; the harness is compiled into the module it tests, so it can reach
# internal API. Rebuilt every run: a full build takes about a minute.
numpykit=$(find Sources/NumPyKit -name '*.swift' | sort)
pcre2=$(find Sources/PCRE2 -name '*.swift' | sort)
retrace=$(find Sources/Retrace -name '*.swift' | sort)
pythonsyntax=$(find Sources/PythonSyntax -name '*.swift' | sort)

echo "fuzz: building $target" >&2
case $target in
  array-literal)
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name NumPyKit $numpykit "$harness" -o "$out/fuzz"
    ;;
  python-syntax)
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name PythonSyntax $pythonsyntax "$harness" -o "$out/fuzz"
    ;;
  *)
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name NumPyKit -emit-module-path "$mods/NumPyKit.swiftmodule" \
      -emit-object $numpykit -o "$mods/NumPyKit.o"
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name PCRE2 -I Sources/CPCRE2 \
      -emit-module-path "$mods/PCRE2.swiftmodule" -emit-object $pcre2 -o "$mods/PCRE2.o"
    # shellcheck disable=SC2086
    swiftc "${flags[@]}" -module-name Retrace -I "$mods" -I Sources/CPCRE2 -emit-object \
      $retrace "$harness" -o "$out/Retrace.o"
    swiftc -sanitize=fuzzer,address "$mods/NumPyKit.o" "$mods/PCRE2.o" "$out/Retrace.o" \
      -lpcre2-8 -o "$out/fuzz"
    ;;
esac

echo "fuzz: running $target for $seconds s" >&2
# rss_limit_mb: a reader must not need gigabytes for a small input; timeout: nor seconds.
# The Swift runtime's backtracer would hold a crashing run for a minute; libFuzzer reports.
SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1} \
  "$out/fuzz" "$out/corpus" "Fuzz/$target/corpus" \
  -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$out/artifacts/" -print_final_stats=1 "$@"
