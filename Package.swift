// swift-tools-version:6.0
import PackageDescription

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
            providers: [.apt(["libgraphviz-dev"])]
        ),
        // OpenCC, for matching Traditional-character scopes against Simplified keywords.
        .systemLibrary(
            name: "COpenCC",
            pkgConfig: "opencc",
            providers: [.apt(["libopencc-dev"])]
        ),
        // All of chainmap's logic: Model → Loading → Analysis → Matching → Rendering → Reporting.
        .target(
            name: "ChainMapKit",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                "CGraphviz",
                "COpenCC",
            ]
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
        .testTarget(
            name: "ChainMapKitTests",
            dependencies: ["ChainMapKit"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "chainmapTests",
            dependencies: ["chainmap", "ChainMapKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
