// OpenCC converters opened so that the dictionaries the configurations share
// (STPhrases, STCharacters) are loaded once, not once per configuration as opencc_open
// does, and read as they are asked rather than whole. See converters.cpp.
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Opens each of `count` configurations (file names such as "s2t.json", looked up in
/// OpenCC's data directory, or paths) with their dictionaries shared. With `lazy`, each
/// .ocd2 dictionary is read as it is asked, a configuration that reader does not know is
/// opened by OpenCC's own loader, and one whose dictionary is damaged is left out;
/// without, OpenCC's loader opens them all. Writes each converter to `converters[i]`, or
/// NULL for one that cannot be opened (missing data files), and, when `readers` is not
/// NULL, to `readers[i]` who opened it: 1 the lazy reader, 0 OpenCC's loader (or no one),
/// -1 no one, its dictionary damaged. Never throws.
void chainmap_opencc_open(const char *const *configurations, int count, int lazy, void **converters, int *readers);

/// Converts `length` bytes of UTF-8 text. Returns a malloc'd NUL-terminated string, to
/// be released with free(), and its length in `*converted`; NULL on failure.
char *chainmap_opencc_convert(const void *converter, const char *text, size_t length, size_t *converted);

/// Converts `length` bytes of UTF-8 text with each of `count` converters opened together
/// by chainmap_opencc_open, into `outputs[i]` (malloc'd, NUL-terminated, to be released
/// with free(); NULL for a NULL converter or a failure) and `lengths[i]`. The same as
/// chainmap_opencc_convert with each, but steps that converters share (s2t, s2tw, s2twp
/// and s2hk all segment with STPhrases and convert with STPhrases and STCharacters
/// first) are converted once. Never throws. The caller holds every converter named, as
/// for chainmap_opencc_convert.
void chainmap_opencc_convert_each(const void *const *converters, int count, const char *text, size_t length,
                                  char **outputs, size_t *lengths);

/// Releases a converter from chainmap_opencc_open.
void chainmap_opencc_close(void *converter);

/// Where the configurations named without a directory are looked up.
const char *chainmap_opencc_data_directory(void);

/// Every key of an .ocd2 dictionary, one per line in the trie's order, malloc'd (release
/// with free()), its length in `*length`; NULL when the file cannot be read. For tests.
char *chainmap_opencc_dictionary_keys(const char *path, size_t *length);

/// Writes the .ocd2 dictionary of an OpenCC text dictionary (`key<TAB>value value…` per
/// line), as opencc_dict does; 1 on success. For tests.
int chainmap_opencc_compile_dictionary(const char *text, const char *ocd2);

/// The dictionaries of a converter's steps (its segmentation's, then each conversion's),
/// as chainmap_opencc_convert_each compares them, into `steps` (at most `capacity`);
/// returns how many there are (0 for a segmentation other than mmseg). For tests.
int chainmap_opencc_steps(const void *converter, const void **steps, int capacity);

/// Writes an .ocd2 dictionary of `count` keys of `keyLengths[i]` bytes each, each with
/// the one NUL-terminated value `values[i]`, without the checks of OpenCC's text reader
/// (which refuses a key that is not UTF-8); 1 on success. For tests.
int chainmap_opencc_write_dictionary(const char *const *keys, const size_t *keyLengths, const char *const *values,
                                     int count, const char *ocd2);

#ifdef __cplusplus
}
#endif
