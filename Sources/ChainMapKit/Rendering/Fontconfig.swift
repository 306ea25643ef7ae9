import CFontconfig
import CGraphvizStart

/// Which fonts are installed, asked of fontconfig — the library pango, and so Graphviz,
/// picks fonts with. Linked through its own header (`Sources/CFontconfig`); every call
/// runs under ``Graphviz``'s lock, since Graphviz's pango plugin calls fontconfig too.
enum Fontconfig {
    /// Characters every map draws; a font that has them can draw Chinese labels.
    static let sampleCharacters: [UInt32] = Array("产业链招商地图补强延".unicodeScalars.map(\.value))

    /// The families of the installed fonts that carry Chinese characters, sorted; nil
    /// when fontconfig cannot be initialised.
    static func chineseFamilies() -> [String]? {
        guard initialised() else { return nil }
        return families(family: nil, chineseOnly: true)
    }

    /// Whether a font family is installed (names compare as fontconfig compares them:
    /// ignoring case and blanks), and whether it carries Chinese characters; nil when
    /// fontconfig cannot be initialised.
    static func family(_ family: String) -> (installed: Bool, chinese: Bool)? {
        guard initialised() else { return nil }
        let installed = !families(family: family, chineseOnly: false).isEmpty
        let chinese = installed && !families(family: family, chineseOnly: true).isEmpty
        return (installed, chinese)
    }

    /// Initialises fontconfig, once the read of its configuration that the `chainmap`
    /// executable began before `main` (Sources/CGraphvizStart) is over; false when it
    /// cannot be.
    private static func initialised() -> Bool {
        chainmap_fontconfig_wait()
        return FcInit() != 0
    }

    /// The first family name of every installed font that matches: of the family
    /// `family` when given, carrying ``sampleCharacters`` when `chineseOnly`. Sorted,
    /// without repeats.
    private static func families(family: String?, chineseOnly: Bool) -> [String] {
        guard let pattern = FcPatternCreate() else { return [] }
        defer { FcPatternDestroy(pattern) }
        if let family {
            _ = family.withCString { name in
                name.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) {
                    FcPatternAddString(pattern, FC_FAMILY, $0)
                }
            }
        }
        if chineseOnly, let charSet = FcCharSetCreate() {
            for character in sampleCharacters { _ = FcCharSetAddChar(charSet, character) }
            _ = FcPatternAddCharSet(pattern, FC_CHARSET, charSet)
            FcCharSetDestroy(charSet)
        }
        guard let objects = FcObjectSetCreate() else { return [] }
        defer { FcObjectSetDestroy(objects) }
        _ = FcObjectSetAdd(objects, FC_FAMILY)
        guard let list = FcFontList(nil, pattern, objects) else { return [] }
        defer { FcFontSetDestroy(list) }
        var names: Set<String> = []
        for index in 0..<Int(list.pointee.nfont) {
            var name: UnsafeMutablePointer<FcChar8>?
            if let font = list.pointee.fonts[index], FcPatternGetString(font, FC_FAMILY, 0, &name) == FcResultMatch, let name {
                names.insert(String(cString: name))
            }
        }
        return names.sorted()
    }
}
