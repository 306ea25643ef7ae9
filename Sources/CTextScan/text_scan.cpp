// See include/text_scan.h.
//
// chainmap_find_bytes compares 16 bytes at a time with SSE2 (every x86-64 processor has
// it) and walks the mask of the bytes found; chainmap_find_any3 and
// chainmap_find_json_special stop at the first block with a byte wanted. Elsewhere each
// is a plain loop with the same results. chainmap_utf8_valid is simdjson's validator, which picks the widest
// instructions the processor has when first called (AVX-512, AVX2, SSE4.2 or none).
#include "text_scan.h"

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

extern "C" int chainmap_utf8_valid(const uint8_t *bytes, size_t length) {
    return simdjson::validate_utf8(reinterpret_cast<const char *>(bytes), length) ? 1 : 0;
}
