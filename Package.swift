// swift-tools-version:6.0
import PackageDescription
import Foundation

/// What a command prints, trimmed; nil when it cannot be run or fails.
func output(of arguments: [String]) -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
}

/// Graphviz's version as pkg-config reports it for libgvc — the same lookup SwiftPM makes
/// for the `CGraphviz` system library (so PKG_CONFIG_PATH is honoured the same way).
/// nil when pkg-config or libgvc.pc cannot be found.
func graphvizVersion() -> (major: Int, minor: Int)? {
    guard let version = output(of: ["pkg-config", "--modversion", "libgvc"]) else { return nil }
    let numbers = version.split(separator: ".").map { Int($0.prefix(while: \.isNumber)) ?? 0 }
    guard numbers.count >= 2 else { return nil }
    return (numbers[0], numbers[1])
}

/// The machine's processor name (`x86_64`, `aarch64`), for Debian's library directories.
let machine = output(of: ["uname", "-m"]) ?? "x86_64"

/// The soname of `lib<name>.so` as the build finds it (in pkg-config's library directory
/// for `package`, else where the compilers' linker looks, else in the usual directories),
/// read with readelf: the name Sources/CDeferred loads the library by when a command
/// first needs it. nil when it cannot be read (not ELF, no readelf): the loader then
/// tries the usual names.
func soname(of name: String, package: String) -> String? {
    let file = "lib\(name).so"
    // pkg-config's directory may be wrong (Debian's xlsxwriter.pc says /usr/lib for a file
    // in /usr/lib/x86_64-linux-gnu): then where the compilers' linker looks, then the
    // usual directories.
    let candidates = [
        output(of: ["pkg-config", "--variable=libdir", package]).map { "\($0)/\(file)" },
        output(of: ["clang", "-print-file-name=\(file)"]),
        output(of: ["cc", "-print-file-name=\(file)"]),
    ].compactMap { $0 } + ["/usr/lib/\(machine)-linux-gnu", "/usr/local/lib", "/usr/lib64", "/usr/lib"].map { "\($0)/\(file)" }
    for path in candidates where path.hasPrefix("/") && FileManager.default.fileExists(atPath: path) {
        guard let dynamic = output(of: ["readelf", "-d", path]),
            let line = dynamic.split(separator: "\n").first(where: { $0.contains("(SONAME)") }),
            let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]"), open < close
        else { continue }
        let soname = line[line.index(after: open)..<close]
        // Only a plain file name goes into the C string.
        if soname.allSatisfy({ $0.isLetter || $0.isNumber || "._+-".contains($0) }) { return String(soname) }
    }
    return nil
}

/// OpenCC's data directory (its configurations and dictionaries), from pkg-config's
/// prefix, for Sources/COpenCCShared/converters.cpp; Debian's when that has none.
let openccData: [CXXSetting] = {
    guard let prefix = output(of: ["pkg-config", "--variable=prefix", "opencc"]), prefix.hasPrefix("/") else { return [] }
    let directory = "\(prefix)/share/opencc/"
    // Only a plain path goes into the C string.
    guard !directory.contains(where: { $0 == "\"" || $0 == "\\" }), FileManager.default.fileExists(atPath: directory + "s2t.json")
    else { return [] }
    return [.define("CHAINMAP_OPENCC_DATA", to: "\"\(directory)\"")]
}()

/// The soname CTextScan loads simdjson's validator from (see Sources/CTextScan/text_scan.cpp).
let simdjsonSoname: [CXXSetting] = soname(of: "simdjson", package: "simdjson").map { [.define("CHAINMAP_SIMDJSON_SONAME", to: "\"\($0)\"")] } ?? []

/// pkg-config's header directories for `package`, as system header directories (the
/// libraries' own warnings are not chainmap's): for the libraries that Sources/CDeferred
/// loads later, whose headers are wanted but whose link flags are not.
func headerDirectories(of package: String) -> [String] {
    guard let flags = output(of: ["pkg-config", "--cflags-only-I", package]) else { return [] }
    // pkg-config separates flags with spaces and escapes a space inside a path.
    return flags.replacingOccurrences(of: "\\ ", with: "\u{0}").split(separator: " ")
        .filter { $0.hasPrefix("-I") }
        .map { String($0.dropFirst(2)).replacingOccurrences(of: "\u{0}", with: " ") }
}
let deferredHeaders = headerDirectories(of: "libxml-2.0") + headerDirectories(of: "xlsxwriter")
/// The same, for the C target and for every Swift target that imports ChainMapKit (and so
/// CDeferred's header): a module's search paths do not pass on as a system library's do.
let deferredHeaderC: [CSetting] = [.unsafeFlags(deferredHeaders.flatMap { ["-isystem", $0] })]
let deferredHeaderSwift: [SwiftSetting] = [.unsafeFlags(deferredHeaders.flatMap { ["-Xcc", "-isystem", "-Xcc", $0] })]

/// The sonames Sources/CDeferred loads, as C string defines.
let deferredSonames: [CSetting] = [("CHAINMAP_XML2_SONAME", "xml2", "libxml-2.0"), ("CHAINMAP_XLSXWRITER_SONAME", "xlsxwriter", "xlsxwriter")].compactMap { define, name, package in
    soname(of: name, package: package).map { .define(define, to: "\"\($0)\"") }
}

/// One compilation condition per Graphviz release that changed an API chainmap calls;
/// each is set for that release and every later one.
let graphvizDefines: [SwiftSetting] = {
    guard let version = graphvizVersion() else { return [] }   // unknown: assume the oldest (Debian 12's 2.43)
    let thresholds: [(major: Int, minor: Int, flag: String)] = [
        (9, 0, "GRAPHVIZ_9"),    // Agmemdisc_t / Agdisc_t.mem gone; gvPluginList lost its 4th parameter
        (11, 0, "GRAPHVIZ_11"),  // AGRAPH/AGNODE/AGEDGE became an anonymous enum (Int in Swift)
        (13, 0, "GRAPHVIZ_13"),  // gvRenderData size_t *length; agstrfree(_, _, is_html); Agiddisc_t.alloc gone
    ]
    return thresholds
        .filter { (version.major, version.minor) >= ($0.major, $0.minor) }
        .map { .define($0.flag) }
}()


let package = Package(
    name: "chainmap",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "chainmap", targets: ["chainmap"]),
        .library(name: "ChainMapKit", targets: ["ChainMapKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // Only for the lead benchmark's library-reader figure (.ci/bench/leads.sh).
        .package(url: "https://github.com/yaslab/CSV.swift", exact: "2.5.2"),
    ],
    targets: [
        // Graphviz (cgraph + gvc), linked in-process. See Sources/CGraphviz/shim.h.
        .systemLibrary(
            name: "CGraphviz",
            pkgConfig: "libgvc",
            providers: [.apt(["libgraphviz-dev"]), .brew(["graphviz"])]
        ),
        // fontconfig, which pango (and so Graphviz) picks fonts with: asked whether the
        // map's font is installed and has Chinese characters. See Sources/CFontconfig/shim.h.
        .systemLibrary(
            name: "CFontconfig",
            pkgConfig: "fontconfig",
            providers: [.apt(["libfontconfig-dev"]), .brew(["fontconfig"])]
        ),
        // OpenCC, for matching Traditional-character scopes against Simplified keywords.
        .systemLibrary(
            name: "COpenCC",
            pkgConfig: "opencc",
            providers: [.apt(["libopencc-dev"]), .brew(["opencc"])]
        ),
        // OpenCC's converters behind a C face, opened so that the four Simplified →
        // Traditional configurations share their dictionaries (loaded once, not four
        // times) and read them as asked (marisa tries, Debian's libmarisa-dev; JSON
        // configurations, nlohmann-json3-dev). See Sources/COpenCCShared/converters.cpp.
        .target(
            name: "COpenCCShared",
            dependencies: ["COpenCC"],
            cxxSettings: openccData,
            linkerSettings: [.linkedLibrary("opencc"), .linkedLibrary("marisa")]
        ),
        // Byte scans of lead-file records that pay for SIMD: a record's delimiters (SSE2)
        // and whether a field is UTF-8 (simdjson's validator, from Debian's
        // libsimdjson-dev). See Sources/CTextScan/text_scan.cpp.
        .target(
            name: "CTextScan",
            cxxSettings: simdjsonSoname,
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        // libxml2's SAX parser, fed the sheets of .xlsx lead files as they are unzipped.
        // See Sources/CLibXML2/shim.h.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        // zlib's CRC-32, checked over each workbook part as it is unzipped: ZIPFoundation
        // checks it byte by byte on Linux, a tenth of the time of reading a workbook.
        .systemLibrary(
            name: "CZlibChecksum",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]
        ),
        // The C libraries only some commands use (libxml2, libxlsxwriter), loaded when first needed, not
        // at every start. See Sources/CDeferred/include/deferred.h.
        .target(
            name: "CDeferred",
            cSettings: deferredSonames + deferredHeaderC,
            linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
        ),
        // Threads started on another processor than their creator's, which Linux puts
        // them on. See Sources/CThreadStart/include/thread_start.h.
        .target(
            name: "CThreadStart",
            linkerSettings: [.linkedLibrary("pthread", .when(platforms: [.linux]))]
        ),
        // Graphviz's context made before `main`, for a command that draws maps, and taken
        // by the first Graphviz that ChainMapKit makes. See Sources/CGraphvizStart/include/graphviz_start.h.
        .target(
            name: "CGraphvizStart",
            dependencies: ["CGraphviz", "CFontconfig", "CThreadStart"]
        ),
        // The executable's constructor: from the command its first argument names, starts
        // what that command needs before `main` (CGraphvizStart). Not linked into ChainMapKit.
        // See Sources/CCommandStart/include/command_start.h.
        .target(
            name: "CCommandStart",
            dependencies: ["CGraphvizStart"]
        ),
        // All of chainmap's logic: Model → Loading → Analysis → Matching → Rendering → Reporting.
        .target(
            name: "ChainMapKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                "CGraphviz",
                "CGraphvizStart",
                "CThreadStart",
                "CFontconfig",
                "COpenCCShared",
                "CTextScan",
                "CDeferred",
                "CZlibChecksum",
            ],
            // CDeferred's header includes the headers of the libraries it loads.
            swiftSettings: graphvizDefines + deferredHeaderSwift
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "chainmap",
            dependencies: [
                "ChainMapKit",
                "CCommandStart",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: deferredHeaderSwift
        ),
        // The lead benchmark's library-reader side: yaslab/CSV.swift feeding the same
        // matcher as `chainmap leads` (.ci/bench/leads.sh runs both).
        .executableTarget(
            name: "leads-bench-csvswift",
            dependencies: ["ChainMapKit", .product(name: "CSV", package: "CSV.swift")],
            path: ".ci/bench/leads-csvswift",
            swiftSettings: deferredHeaderSwift
        ),
        // The workbook benchmark's parser side: the same sheet through libxml2's SAX push
        // parser and Foundation's XMLParser (.ci/bench/xlsx.sh runs both).
        .executableTarget(
            name: "xlsx-bench-parsers",
            dependencies: ["CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            path: ".ci/bench/xlsx-parsers"
        ),
        .testTarget(
            name: "ChainMapKitTests",
            dependencies: ["ChainMapKit", "COpenCC", "CTextScan", "CGraphviz", "CGraphvizStart", "CThreadStart", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Fixtures")],
            swiftSettings: deferredHeaderSwift
        ),
        .testTarget(
            name: "chainmapTests",
            dependencies: ["chainmap", "ChainMapKit"],
            swiftSettings: deferredHeaderSwift
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
