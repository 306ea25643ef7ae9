// See include/text_scan.h.
//
// chainmap_find_bytes compares 32 bytes at a time with AVX2 where the processor has it,
// else 16 with SSE2 (every x86-64 processor has it), and walks the mask of the bytes
// found; chainmap_find_any3 and chainmap_find_json_special stop at the first block with a
// byte wanted. Elsewhere each is a plain loop with the same results. chainmap_utf8_valid
// is simdjson's validator, which picks the widest instructions the processor has when
// first called (AVX-512, AVX2, SSE4.2 or none).
//
// libsimdjson is loaded when the validator is first asked for, not at every start (as
// Sources/CDeferred loads libxml2 and libxlsxwriter): only reading lead files needs it.
// Without it (not installed), a plain validator with the same answers stands in.
#include "text_scan.h"

#include <dlfcn.h>
#include <simdjson.h>

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace {
/// Writes the offsets of the set bits of `mask`, a block's bytes found from `at` on, to
/// `offsets` from `count` on; false (nothing written) when fewer than their number fit.
inline bool takeMask(unsigned mask, size_t at, intptr_t *offsets, size_t capacity, size_t &count) {
    if (capacity - count < static_cast<size_t>(__builtin_popcount(mask))) return false;
    while (mask != 0) {
        offsets[count++] = static_cast<intptr_t>(at + static_cast<size_t>(__builtin_ctz(mask)));
        mask &= mask - 1;
    }
    return true;
}

/// chainmap_find_bytes 16 bytes at a time (SSE2, which every x86-64 processor has), then
/// the tail a byte at a time.
size_t findBytesPlain(const uint8_t *base, size_t from, size_t end, uint8_t byte, intptr_t *offsets, size_t capacity,
                      size_t *next) {
    size_t i = from;
    size_t count = 0;
#if defined(__SSE2__)
    const __m128i wanted = _mm_set1_epi8(static_cast<char>(byte));
    // Blocks only with room for a whole block's offsets; below that, the loop after.
    while (capacity >= 16 && i + 16 <= end) {
        const unsigned mask = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(base + i)), wanted)));
        if (mask != 0 && !takeMask(mask, i, offsets, capacity, count)) {
            *next = i;
            return count;
        }
        i += 16;
    }
#endif
    for (; i < end; i++) {
        if (base[i] == byte) {
            if (count == capacity) {
                *next = i;
                return count;
            }
            offsets[count++] = static_cast<intptr_t>(i);
        }
    }
    *next = end;
    return count;
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define CHAINMAP_AVX2 1
/// findBytesPlain 32 bytes at a time, and the tail as one last block that ends where the
/// range ends (its bytes already scanned masked off), when the range holds 32 bytes: a
/// 400-byte record of a lead file takes 13 blocks instead of 25 and no byte loop. Called
/// only where the processor has AVX2 (chainmap_find_bytes asks).
__attribute__((target("avx2,popcnt,bmi"))) size_t findBytesAVX2(const uint8_t *base, size_t from, size_t end,
                                                                 uint8_t byte, intptr_t *offsets, size_t capacity,
                                                                 size_t *next) {
    size_t i = from;
    size_t count = 0;
    const __m256i wanted = _mm256_set1_epi8(static_cast<char>(byte));
    while (i + 32 <= end) {
        const unsigned mask = static_cast<unsigned>(
            _mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(base + i)), wanted)));
        if (mask != 0 && !takeMask(mask, i, offsets, capacity, count)) {
            *next = i;
            return count;
        }
        i += 32;
    }
    if (i < end && end - from >= 32) {
        const size_t last = end - 32;
        const unsigned mask = static_cast<unsigned>(_mm256_movemask_epi8(
                                  _mm256_cmpeq_epi8(_mm256_loadu_si256(reinterpret_cast<const __m256i *>(base + last)), wanted)))
                              >> (i - last);
        if (mask != 0 && !takeMask(mask, i, offsets, capacity, count)) {
            *next = i;
            return count;
        }
        *next = end;
        return count;
    }
    size_t rest = 0;
    const size_t found = findBytesPlain(base, i, end, byte, offsets + count, capacity - count, &rest);
    *next = rest;
    return count + found;
}
#endif
}  // namespace

extern "C" size_t chainmap_find_bytes(const uint8_t *base, size_t from, size_t end, uint8_t byte,
                                      intptr_t *offsets, size_t capacity, size_t *next) {
#if defined(CHAINMAP_AVX2)
    // Every feature the AVX2 form is compiled for, not only AVX2: a virtual processor may
    // offer AVX2 without BMI1 or POPCNT, whose instructions it uses. Asked once.
    static const bool wide =
        __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("popcnt");
    if (capacity >= 32 && wide) return findBytesAVX2(base, from, end, byte, offsets, capacity, next);
#endif
    return findBytesPlain(base, from, end, byte, offsets, capacity, next);
}

extern "C" size_t chainmap_find_bytes_narrow(const uint8_t *base, size_t from, size_t end, uint8_t byte,
                                             intptr_t *offsets, size_t capacity, size_t *next) {
    return findBytesPlain(base, from, end, byte, offsets, capacity, next);
}

extern "C" size_t chainmap_find_any3(const uint8_t *base, size_t from, size_t end, uint8_t a, uint8_t b, uint8_t c) {
    size_t i = from;
#if defined(__SSE2__)
    const __m128i wa = _mm_set1_epi8(static_cast<char>(a));
    const __m128i wb = _mm_set1_epi8(static_cast<char>(b));
    const __m128i wc = _mm_set1_epi8(static_cast<char>(c));
    while (i + 16 <= end) {
        const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(base + i));
        const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, wa), _mm_cmpeq_epi8(block, wb)),
                                         _mm_cmpeq_epi8(block, wc));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
        i += 16;
    }
#endif
    for (; i < end; i++) {
        const uint8_t byte = base[i];
        if (byte == a || byte == b || byte == c) return i;
    }
    return end;
}

namespace {
#if defined(__SSE2__)
/// The bytes of a block that a JSON string may need to escape (chainmap_find_json_special),
/// as a mask of 16 bits.
struct JSONSpecial {
    const __m128i controls = _mm_set1_epi8(0x1F);
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i del = _mm_set1_epi8(0x7F), c1 = _mm_set1_epi8(static_cast<char>(0xC2));
    const __m128i lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'), amp = _mm_set1_epi8('&');
    const __m128i slash = _mm_set1_epi8('/'), e2 = _mm_set1_epi8(static_cast<char>(0xE2));
    const __m128i d8 = _mm_set1_epi8(static_cast<char>(0xD8));
    const bool script;

    explicit JSONSpecial(bool script) : script(script) {}

    unsigned mask(__m128i block) const {
        // A byte at most 0x1F is its own unsigned minimum with 0x1F.
        __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(block, controls), block);
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, del), _mm_cmpeq_epi8(block, c1)));
        if (script) {
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, lt), _mm_cmpeq_epi8(block, gt)));
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, amp), _mm_cmpeq_epi8(block, slash)));
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, e2), _mm_cmpeq_epi8(block, d8)));
        }
        return static_cast<unsigned>(_mm_movemask_epi8(hit));
    }
};

/// The `sizeof(Word)` bytes from `from` on as an integer, the first in its low byte.
template <typename Word> inline Word loadWord(const uint8_t *from) {
    Word word;
    memcpy(&word, from, sizeof word);
    return word;
}
#endif
}  // namespace

extern "C" size_t chainmap_find_json_special(const uint8_t *base, size_t count, int script) {
#if defined(__SSE2__)
    // Most strings of a list are short (a date, a phone number, a status): a byte at a
    // time, the tail after the last whole block was most of this search. Every length of
    // 4 bytes or more is now checked in blocks: from 16 bytes on, whole blocks and then
    // one that ends where the string ends (its bytes already checked masked off); below,
    // the first and the last 8 (or 4) bytes, overlapping, as one block.
    const JSONSpecial special(script != 0);
    if (count >= 16) {
        size_t i = 0;
        for (; i + 16 <= count; i += 16) {
            const unsigned mask = special.mask(_mm_loadu_si128(reinterpret_cast<const __m128i *>(base + i)));
            if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
        }
        if (i < count) {
            const size_t last = count - 16;
            const unsigned mask = special.mask(_mm_loadu_si128(reinterpret_cast<const __m128i *>(base + last))) >> (i - last);
            if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
        }
        return count;
    }
    if (count >= 8) {
        const __m128i block = _mm_set_epi64x(static_cast<long long>(loadWord<uint64_t>(base + count - 8)),
                                             static_cast<long long>(loadWord<uint64_t>(base)));
        const unsigned mask = special.mask(block);
        if ((mask & 0xFF) != 0) return static_cast<size_t>(__builtin_ctz(mask));
        if (mask != 0) return count - 8 + static_cast<size_t>(__builtin_ctz(mask >> 8));
        return count;
    }
    if (count >= 4) {
        // Only the low 8 bytes count: the zeros above them would read as controls.
        const __m128i block = _mm_set_epi32(0, 0, static_cast<int>(loadWord<uint32_t>(base + count - 4)),
                                            static_cast<int>(loadWord<uint32_t>(base)));
        const unsigned mask = special.mask(block) & 0xFF;
        if ((mask & 0xF) != 0) return static_cast<size_t>(__builtin_ctz(mask));
        if (mask != 0) return count - 4 + static_cast<size_t>(__builtin_ctz(mask >> 4));
        return count;
    }
#endif
    for (size_t i = 0; i < count; i++) {
        const uint8_t byte = base[i];
        if (byte < 0x20 || byte == '"' || byte == '\\' || byte == 0x7F || byte == 0xC2) return i;
        if (script && (byte == '<' || byte == '>' || byte == '&' || byte == '/' || byte == 0xE2 || byte == 0xD8)) return i;
    }
    return count;
}

#ifndef CHAINMAP_SIMDJSON_SONAME
#define CHAINMAP_SIMDJSON_SONAME "libsimdjson.so.14"
#endif

namespace {
using Validator = bool (*)(const char *, size_t) noexcept;

// The function loaded by name is the one the header declares: this cast fails to compile
// if simdjson::validate_utf8(const char *, size_t) changes. Unevaluated, it takes no
// address, so the binary does not need libsimdjson at start.
static_assert(sizeof(static_cast<Validator>(&simdjson::validate_utf8)) == sizeof(void *));
constexpr const char *validatorSymbol = "_ZN8simdjson13validate_utf8EPKcm";

// Strict UTF-8, as simdjson validates it: no overlong forms, no surrogates, nothing
// above U+10FFFF, no sequence cut off at the end.
bool validUTF8Plain(const char *text, size_t length) noexcept {
    const auto *bytes = reinterpret_cast<const uint8_t *>(text);
    size_t i = 0;
    while (i < length) {
        const uint8_t lead = bytes[i];
        if (lead < 0x80) {
            i++;
            continue;
        }
        size_t count;
        if (lead >= 0xC2 && lead <= 0xDF) count = 2;
        else if (lead >= 0xE0 && lead <= 0xEF) count = 3;
        else if (lead >= 0xF0 && lead <= 0xF4) count = 4;
        else return false;
        if (length - i < count) return false;
        const uint8_t second = bytes[i + 1];
        if ((second & 0xC0) != 0x80) return false;
        if ((lead == 0xE0 && second < 0xA0) || (lead == 0xED && second > 0x9F) ||
            (lead == 0xF0 && second < 0x90) || (lead == 0xF4 && second > 0x8F)) return false;
        for (size_t k = 2; k < count; k++) {
            if ((bytes[i + k] & 0xC0) != 0x80) return false;
        }
        i += count;
    }
    return true;
}

Validator loadValidator() noexcept {
    for (const char *name : {CHAINMAP_SIMDJSON_SONAME, "libsimdjson.so"}) {
        if (void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL)) {
            if (void *function = dlsym(library, validatorSymbol)) return reinterpret_cast<Validator>(function);
            dlclose(library);
        }
    }
    return validUTF8Plain;
}

// The validator, looked up once (thread-safe: a function-local static).
Validator validator() noexcept {
    static const Validator validate = loadValidator();
    return validate;
}
}  // namespace

extern "C" int chainmap_utf8_valid(const uint8_t *bytes, size_t length) {
    return validator()(reinterpret_cast<const char *>(bytes), length) ? 1 : 0;
}

extern "C" int chainmap_utf8_validator_is_simdjson(void) {
    return validator() != validUTF8Plain ? 1 : 0;
}

extern "C" int chainmap_utf8_valid_plain(const uint8_t *bytes, size_t length) {
    return validUTF8Plain(reinterpret_cast<const char *>(bytes), length) ? 1 : 0;
}
