import CCommandStart
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Two of the test binary's writable variables: a command's start gives such
/// variables their own pages before any thread starts.
nonisolated(unsafe) private var initialisedProbe = 0x5eed
nonisolated(unsafe) private var zeroProbe = 0

/// What every command does before `main` to its executable's writable data
/// (Sources/CCommandStart): the ranges it gives their own pages, read from the running
/// executable's section headers, here the test binary's.
@Suite("The writable data a command gives pages before its threads start")
struct CommandStartTests {
    @Test func theRangesCoverTheWritableDataAndNotTheReadOnlyData() throws {
        #if os(Linux)
        var ranges = [chainmap_range](repeating: chainmap_range(), count: 16)
        let count = chainmap_writable_data_ranges(&ranges, ranges.count)
        // 0 would mean the section headers were not read (the start then falls back to
        // one range from .data to .bss, which lld's layout makes too large to give).
        try #require(count > 0)
        let found = Array(ranges.prefix(count))
        let page = UInt(sysconf(Int32(_SC_PAGESIZE)))
        for range in found {
            #expect(range.start < range.end)
            #expect(range.start % page == 0 && range.end % page == 0)
        }
        for (earlier, later) in zip(found, found.dropFirst()) {
            #expect(earlier.end < later.start, "sorted, and merged where they touch")
        }
        #expect(found.reduce(0) { $0 + ($1.end - $1.start) } <= 16 << 20)
        func covered(_ address: UInt) -> Bool { found.contains { $0.start <= address && address < $0.end } }
        #expect(covered(withUnsafeMutablePointer(to: &initialisedProbe) { UInt(bitPattern: $0) }))
        #expect(covered(withUnsafeMutablePointer(to: &zeroProbe) { UInt(bitPattern: $0) }))
        // A string literal lies in .rodata, which nothing writes.
        let literal: StaticString = "产业链招商地图"
        #expect(!covered(UInt(bitPattern: literal.utf8Start)))
        #else
        var range = chainmap_range()
        #expect(chainmap_writable_data_ranges(&range, 1) == 0)
        #endif
    }
}
