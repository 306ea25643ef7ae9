// See include/text_scan.h.
//
// chainmap_find_bytes compares 16 bytes at a time with SSE2 (every x86-64 processor has
// it) and walks the mask of the bytes found; chainmap_find_any3 and
// chainmap_find_json_special stop at the first block with a byte wanted. Elsewhere each
// is a plain loop with the same results. chainmap_utf8_valid is simdjson's validator, which picks the widest
// instructions the processor has when first called (AVX-512, AVX2, SSE4.2 or none).
//
// libsimdjson is loaded when the validator is first asked for, not at every start (as
// Sources/CDeferred loads libxml2 and libxlsxwriter): only reading lead files needs it.
// Without it (not installed), a plain validator with the same answers stands in.
#include "text_scan.h"

#include <dlfcn.h>
#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

extern "C" size_t chainmap_find_bytes(const uint8_t *base, size_t from, size_t end, uint8_t byte,
                                      intptr_t *offsets, size_t capacity, size_t *next) {
    size_t i = from;
    size_t count = 0;
#if defined(__SSE2__)
    const __m128i wanted = _mm_set1_epi8(static_cast<char>(byte));
    // Blocks only with room for a whole block's offsets; below that, the loop after.
    while (capacity >= 16 && i + 16 <= end) {
        unsigned mask = static_cast<unsigned>(
            _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i *>(base + i)), wanted)));
        if (mask != 0) {
            // Room for every byte of this block, or stop before it.
            if (capacity - count < 16) {
                *next = i;
                return count;
            }
            do {
                offsets[count++] = static_cast<intptr_t>(i + static_cast<size_t>(__builtin_ctz(mask)));
                mask &= mask - 1;
            } while (mask != 0);
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

extern "C" size_t chainmap_find_json_special(const uint8_t *base, size_t count, int script) {
    size_t i = 0;
#if defined(__SSE2__)
    const __m128i controls = _mm_set1_epi8(0x1F);
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i del = _mm_set1_epi8(0x7F), c1 = _mm_set1_epi8(static_cast<char>(0xC2));
    const __m128i lt = _mm_set1_epi8('<'), gt = _mm_set1_epi8('>'), amp = _mm_set1_epi8('&');
    const __m128i slash = _mm_set1_epi8('/'), e2 = _mm_set1_epi8(static_cast<char>(0xE2));
    const __m128i d8 = _mm_set1_epi8(static_cast<char>(0xD8));
    while (i + 16 <= count) {
        const __m128i block = _mm_loadu_si128(reinterpret_cast<const __m128i *>(base + i));
        // A byte at most 0x1F is its own unsigned minimum with 0x1F.
        __m128i hit = _mm_cmpeq_epi8(_mm_min_epu8(block, controls), block);
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, quote), _mm_cmpeq_epi8(block, backslash)));
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, del), _mm_cmpeq_epi8(block, c1)));
        if (script) {
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, lt), _mm_cmpeq_epi8(block, gt)));
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, amp), _mm_cmpeq_epi8(block, slash)));
            hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(block, e2), _mm_cmpeq_epi8(block, d8)));
        }
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask != 0) return i + static_cast<size_t>(__builtin_ctz(mask));
        i += 16;
    }
#endif
    for (; i < count; i++) {
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
