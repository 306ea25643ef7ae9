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
    /// A section as `readelf -S` lists it: its name, ELF flags, address and size.
    typealias Section = (name: String, flags: UInt64, address: UInt, size: UInt)

    /// The writable sections of a release binary as lld lays them out (`readelf -S` of
    /// one, loaded at 0x5555_0000_0000): `.rodata`, writable because Swift objects mark
    /// some of theirs so, lies between `.data` and `.bss`.
    static let lldLayout: [Section] = [
        (".tbss", 0x403, 0x16f_1e08, 0x154),
        (".data.rel.ro", 0x3, 0x16f_1ec0, 0xa_6e88),
        (".got", 0x3, 0x179_8fd8, 0x430),
        (".data", 0x3, 0x179_a440, 0x5_f8d0),
        (".tm_clone_table", 0x3, 0x17f_9d10, 0),
        (".rodata", 0x33, 0x17f_9d10, 0x23d_3fc4),
        ("swift5_backtrace", 0x3, 0x3bc_e000, 0x1_0000),
        (".cfstr.data", 0x3, 0x3bd_e000, 0x3e08),
        (".got.plt", 0x3, 0x3be_1e08, 0x1218),
        (".bss", 0x3, 0x3be_4000, 0xc_d0a0),
        (".comment", 0x30, 0, 0x100),
    ]

    /// The ranges of `layout` between `__data_start` (0x179a440) and `_end` (0x3cb10a0), on
    /// 4 KB pages, loaded at 0x5555_0000_0000.
    static func ranges(of layout: [Section], capacity: Int = 16) -> [Range<UInt>] {
        let base: UInt = 0x5555_0000_0000
        let names = layout.map { strdup($0.name) }
        defer { names.forEach { free($0) } }
        let sections = zip(layout, names).map { section, name in
            chainmap_section(name: name, flags: section.flags, address: base + section.address, size: section.size)
        }
        var ranges = [chainmap_range](repeating: chainmap_range(), count: capacity)
        let count = chainmap_writable_section_ranges(sections, sections.count, base + 0x179_a000, base + 0x3cb_2000, 4096, &ranges, capacity)
        return ranges.prefix(count).map { ($0.start - base)..<($0.end - base) }
    }

    @Test func anLLDLayoutGivesDataAndBssButNotTheWritableReadOnlyData() {
        #if os(Linux)
        // .data and .tm_clone_table; then swift5_backtrace to .bss, merged where they touch.
        #expect(Self.ranges(of: Self.lldLayout) == [0x179_a000..<0x17f_a000, 0x3bc_e000..<0x3cb_2000])
        // Two ranges do not fit in one: none is given.
        #expect(Self.ranges(of: Self.lldLayout, capacity: 1) == [])
        // A .rodata that were taken would make one range of 37 MB: over 16 MB, none given.
        let renamed = Self.lldLayout.map { section -> Section in
            var section = section
            if section.name == ".rodata" { section.name = ".const" }
            return section
        }
        #expect(Self.ranges(of: renamed) == [])
        // A section reaching past `_end`, or whose end wraps, is left out.
        let wrapping = Self.lldLayout + [Section(name: ".odd", flags: 0x3, address: 0x3cb_0000, size: UInt.max - 0x1000)]
        #expect(Self.ranges(of: wrapping) == [0x179_a000..<0x17f_a000, 0x3bc_e000..<0x3cb_2000])
        #endif
    }

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
