// Byte scans of lead-file records and chain-file lines that are worth SIMD: where a record's delimiters are,
// and whether a field is valid UTF-8 (simdjson's validator). See text_scan.cpp.
#ifndef CHAINMAP_TEXT_SCAN_H
#define CHAINMAP_TEXT_SCAN_H
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Writes the offsets of the bytes equal to `byte` in `base[from..<end]` to `offsets`, in
/// order, at most `capacity` of them (at least 1; 16 or more for the SIMD path, 32 or more
/// for its AVX2 form). Returns how many it wrote; `*next` is where the scan stopped: `end`
/// when all was scanned, else the offset to resume from (the buffer was full), past `from`
/// whenever `capacity` > 0.
size_t chainmap_find_bytes(const uint8_t *base, size_t from, size_t end, uint8_t byte,
                           intptr_t *offsets, size_t capacity, size_t *next);

/// chainmap_find_bytes as a processor without AVX2 runs it (SSE2 blocks, then bytes): for
/// tests, which compare the two forms on a processor that has both.
size_t chainmap_find_bytes_narrow(const uint8_t *base, size_t from, size_t end, uint8_t byte,
                                  intptr_t *offsets, size_t capacity, size_t *next);

/// The offset of the first byte in `base[from..<end]` equal to `a`, `b` or `c`; `end`
/// when there is none.
size_t chainmap_find_any3(const uint8_t *base, size_t from, size_t end, uint8_t a, uint8_t b, uint8_t c);

/// The offset of the first byte in `base[0..<count]` that a JSON string may need to
/// escape: a control (below 0x20, or 0x7F), `"`, `\`, or 0xC2 (the lead byte of the C1
/// controls); with `script` also `<`, `>`, `&`, `/`, 0xE2 (the lead byte of U+2028, U+2029
/// and most bidirectional controls) and 0xD8 (that of U+061C). `count` when there is none.
size_t chainmap_find_json_special(const uint8_t *base, size_t count, int script);

/// Whether `length` bytes are valid UTF-8 (RFC 3629: no overlong forms, no surrogates,
/// nothing above U+10FFFF, no sequence cut off at the end).
int chainmap_utf8_valid(const uint8_t *bytes, size_t length);

/// The validator that stands in when libsimdjson cannot be loaded: the same answers, a
/// byte at a time (tested against simdjson's).
int chainmap_utf8_valid_plain(const uint8_t *bytes, size_t length);

/// Whether ``chainmap_utf8_valid`` is simdjson's validator (1), or the plain one standing
/// in because libsimdjson could not be loaded (0).
int chainmap_utf8_validator_is_simdjson(void);

#ifdef __cplusplus
}
#endif
#endif
