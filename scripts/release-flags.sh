# The flags of the release build, sourced by scripts/run, scripts/bench, scripts/bench-sessions
# and scripts/startup-order, so that switching between them never rebuilds everything.
# Each was measured with scripts/bench (docs/performance.md has the numbers):
#   --static-swift-stdlib  no loading and binding of a dozen shared Swift libraries at start.
#   -no-pie                no load-time relocation of ~115,000 pointers (which dirtied ~4 MiB).
#   --section-ordering-file with -function-sections: the functions that run before the first
#                          prompt (scripts/startup-order.txt, made by scripts/startup-order) are
#                          placed side by side. The kernel maps code in 64 KiB blocks around each
#                          page touched, so scattered start-up code made three times its size
#                          resident. Idle RSS at the prompt: 20.1 -> 17.8 MiB.
#   -no-whole-module-optimization  needed for -function-sections to reach Swift code: Swift
#                          6.3's multi-threaded whole-module code generation drops that option.
#                          Costs ~3 minutes more of a clean build and ~10% of streaming CPU.
#   --no-export-dynamic    the toolchain's static-stdlib-args.lnk asks for -export-dynamic, which
#                          put 28,000 of our symbols in the dynamic symbol table that ld.so
#                          searches at start (1.3 MiB resident); nothing looks them up.
# shellcheck shell=bash
RELEASE_FLAGS=(
  -c release --static-swift-stdlib
  -Xswiftc -Xclang-linker -Xswiftc -no-pie
  -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections
  -Xswiftc -no-whole-module-optimization
  -Xlinker "--section-ordering-file=$(pwd)/scripts/startup-order.txt"
  -Xlinker --no-export-dynamic
)
