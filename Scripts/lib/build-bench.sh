# Sourced by the benchmark scripts (from the repository root): builds retrace-bench in release
# (SCRATCH: the build folder, .build by default; the Swift runtime linked statically on Linux)
# and sets BENCH to its path.
SCRATCH=${SCRATCH:-.build}
BUILD_FLAGS=(-c release --scratch-path "$SCRATCH")
[[ $(uname -s) == Linux ]] && BUILD_FLAGS+=(--static-swift-stdlib)
swift build "${BUILD_FLAGS[@]}" --product retrace-bench >&2
BENCH=$(swift build "${BUILD_FLAGS[@]}" --show-bin-path)/retrace-bench
