#include "FuzzDriver.h"
#include <stddef.h>
#include <stdint.h>

// Both come from the link: libFuzzer (-sanitize=fuzzer) and the Swift target.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int agent_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
