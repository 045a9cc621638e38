#ifndef CFUZZDRIVER_H
#define CFUZZDRIVER_H
#include <stddef.h>
#include <stdint.h>

/// libFuzzer's driver (FuzzerDriver.cpp). SwiftPM links an executable target with
/// `--defsym main=<Target>_main`, which no module defines under -parse-as-library;
/// each fuzz target defines `<Target>_main` itself and hands over to this driver.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
#endif
