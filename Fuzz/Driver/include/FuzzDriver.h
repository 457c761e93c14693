#ifndef AGENT_FUZZ_DRIVER_H
#define AGENT_FUZZ_DRIVER_H

/// Runs libFuzzer on the target's LLVMFuzzerTestOneInput. SwiftPM links every executable with
/// its `main` renamed to `<Module>_main`, so libFuzzer's own `main` is never used: each target
/// defines `<Module>_main` and calls this.
int agent_fuzz_main(int argc, char **argv);

#endif
