# The flags of the two release builds, sourced by the scripts that build. Each flag was measured
# with scripts/bench (docs/performance.md has the numbers).
#
# RELEASE_FLAGS: what scripts/run, scripts/install and scripts/bench-sessions build, into .build.
# Only link-time flags on top of `-c release`: they cost no compile time.
#   --static-swift-stdlib  no loading and binding of a dozen shared Swift libraries at start.
#   -no-pie                no load-time relocation of ~115,000 pointers (which dirtied ~4 MiB).
#   --no-export-dynamic    the toolchain's static-stdlib-args.lnk asks for -export-dynamic, which
#                          put 28,000 of our symbols in the dynamic symbol table that ld.so
#                          searches at start (1.3 MiB resident); nothing looks them up.
#
# DIST_FLAGS: the distribution build, into .build-dist (its own folder, so that switching
# between the two never recompiles either): what scripts/bench measures, scripts/startup-order
# traces and `scripts/install --dist` installs. RELEASE_FLAGS plus start-up code side by side:
#   --section-ordering-file with -function-sections: the functions that run before the first
#                          prompt (scripts/startup-order.txt, made by scripts/startup-order) are
#                          placed side by side. The kernel maps code in 64 KiB blocks around each
#                          page touched, so scattered start-up code made three times its size
#                          resident. Idle RSS at the prompt: 20.1 -> 17.8 MiB.
#   -no-whole-module-optimization  needed for -function-sections to reach Swift code: Swift
#                          6.3's multi-threaded whole-module code generation drops that option.
#                          That is what makes this build slow: every file of every package is
#                          optimised on its own, minutes more from a clean clone (see
#                          docs/performance.md), and ~10% more streaming CPU.
# shellcheck shell=bash
RELEASE_FLAGS=(
  -c release --static-swift-stdlib
  -Xswiftc -Xclang-linker -Xswiftc -no-pie
  -Xlinker --no-export-dynamic
)
DIST_SCRATCH=.build-dist
DIST_BIN="$DIST_SCRATCH/release"
DIST_FLAGS=(
  "${RELEASE_FLAGS[@]}" --scratch-path "$DIST_SCRATCH"
  -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
  -Xswiftc -no-whole-module-optimization
  -Xlinker "--section-ordering-file=$(pwd)/scripts/startup-order.txt"
)
