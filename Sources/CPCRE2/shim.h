#ifndef QUARRY_CPCRE2_SHIM_H
#define QUARRY_CPCRE2_SHIM_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

/* The all-ones size_t constants do not import into Swift usably; these do. */
static inline size_t quarry_pcre2_unset(void) { return PCRE2_UNSET; }
static inline size_t quarry_pcre2_zero_terminated(void) { return PCRE2_ZERO_TERMINATED; }

#endif
