// OpenCC converters opened through one opencc::Config, so that the dictionaries the
// configurations share (STPhrases, STCharacters) are loaded once, not once per
// configuration as opencc_open does. See converters.cpp.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opens each of `count` configurations (file names such as "s2t.json") through one
/// shared configuration loader. Writes each converter to `converters[i]`, or NULL for one
/// that cannot be opened (missing data files). Never throws.
void chainmap_opencc_open(const char *const *configurations, int count, void **converters);

/// Converts `length` bytes of UTF-8 text. Returns a malloc'd NUL-terminated string, to
/// be released with free(), and its length in `*converted`; NULL on failure.
char *chainmap_opencc_convert(const void *converter, const char *text, size_t length, size_t *converted);

/// Releases a converter from chainmap_opencc_open.
void chainmap_opencc_close(void *converter);

#ifdef __cplusplus
}
#endif
