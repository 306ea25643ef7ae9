// swift-tools-version:6.0
import PackageDescription
import Foundation

/// Graphviz's version as pkg-config reports it for libgvc — the same lookup SwiftPM makes
/// for the `CGraphviz` system library (so PKG_CONFIG_PATH is honoured the same way).
/// nil when pkg-config or libgvc.pc cannot be found.
func graphvizVersion() -> (major: Int, minor: Int)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["pkg-config", "--modversion", "libgvc"]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    let numbers = String(decoding: data, as: UTF8.self)
        .trimmingCharacters(in: .whitespacesAndNewlines)
        .split(separator: ".")
        .map { Int($0.prefix(while: \.isNumber)) ?? 0 }
    guard numbers.count >= 2 else { return nil }
    return (numbers[0], numbers[1])
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
        // OpenCC's C++ configuration loader behind a C face, so that the four
        // Simplified → Traditional configurations share their dictionaries (loaded once,
        // not four times). See Sources/COpenCCShared/converters.cpp.
        .target(
            name: "COpenCCShared",
            dependencies: ["COpenCC"],
            linkerSettings: [.linkedLibrary("opencc")]
        ),
        // Byte scans of lead-file records that pay for SIMD: a record's delimiters (SSE2)
        // and whether a field is UTF-8 (simdjson's validator, from Debian's
        // libsimdjson-dev). See Sources/CTextScan/text_scan.cpp.
        .target(
            name: "CTextScan",
            linkerSettings: [.linkedLibrary("simdjson")]
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
        // libxlsxwriter, which writes every workbook chainmap makes (--xlsx). See
        // Sources/CXlsxWriter/shim.h.
        .systemLibrary(
            name: "CXlsxWriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"]), .brew(["libxlsxwriter"])]
        ),
        // All of chainmap's logic: Model → Loading → Analysis → Matching → Rendering → Reporting.
        .target(
            name: "ChainMapKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                "CGraphviz",
                "CFontconfig",
                "COpenCCShared",
                "CTextScan",
                "CLibXML2",
                "CXlsxWriter",
                "CZlibChecksum",
            ],
            swiftSettings: graphvizDefines
        ),
        // The thin command-line front end.
        .executableTarget(
            name: "chainmap",
            dependencies: [
                "ChainMapKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The lead benchmark's library-reader side: yaslab/CSV.swift feeding the same
        // matcher as `chainmap leads` (.ci/bench/leads.sh runs both).
        .executableTarget(
            name: "leads-bench-csvswift",
            dependencies: ["ChainMapKit", .product(name: "CSV", package: "CSV.swift")],
            path: ".ci/bench/leads-csvswift"
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
            dependencies: ["ChainMapKit", "COpenCC", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "chainmapTests",
            dependencies: ["chainmap", "ChainMapKit"]
        ),
    ],
    swiftLanguageModes: [.v6],
    cxxLanguageStandard: .cxx17
)
