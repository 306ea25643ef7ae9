#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which fonts are installed, asked of fontconfig — the library pango, and so Graphviz,
/// picks fonts with.
///
/// fontconfig is opened at run time (`dlopen`) rather than linked: it is always present
/// where Graphviz's pango plugin is, and this way building chainmap needs no fontconfig
/// headers. When it cannot be opened, nothing can be said and every query answers nil.
enum Fontconfig {
    /// Characters every map draws; a font that has them can draw Chinese labels.
    static let sampleCharacters: [UInt32] = Array("产业链招商地图补强延".unicodeScalars.map(\.value))

    /// The families of the installed fonts that carry Chinese characters, sorted; nil
    /// when fontconfig is unavailable.
    static func chineseFamilies() -> [String]? {
        library.map { $0.families(family: nil, chineseOnly: true) }
    }

    /// Whether a font family is installed (names compare as fontconfig compares them:
    /// ignoring case and blanks), and whether it carries Chinese characters; nil when
    /// fontconfig is unavailable.
    static func family(_ family: String) -> (installed: Bool, chinese: Bool)? {
        guard let library else { return nil }
        let installed = !library.families(family: family, chineseOnly: false).isEmpty
        let chinese = installed && !library.families(family: family, chineseOnly: true).isEmpty
        return (installed, chinese)
    }

    /// The fontconfig functions chainmap calls, looked up once.
    private static let library: Library? = Library()

    private struct Library: @unchecked Sendable {
        // @unchecked: function pointers into a library that is never closed.
        typealias PatternCreate = @convention(c) () -> OpaquePointer?
        typealias PatternAddString = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, UnsafePointer<CChar>) -> Int32
        typealias PatternAddCharSet = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, OpaquePointer?) -> Int32
        typealias PatternGetString = @convention(c) (OpaquePointer?, UnsafePointer<CChar>, Int32, UnsafeMutablePointer<UnsafeMutablePointer<UInt8>?>) -> Int32
        typealias Destroy = @convention(c) (OpaquePointer?) -> Void
        typealias CharSetAddChar = @convention(c) (OpaquePointer?, UInt32) -> Int32
        typealias ObjectSetAdd = @convention(c) (OpaquePointer?, UnsafePointer<CChar>) -> Int32
        typealias FontList = @convention(c) (OpaquePointer?, OpaquePointer?, OpaquePointer?) -> UnsafeMutableRawPointer?
        typealias FontSetDestroy = @convention(c) (UnsafeMutableRawPointer?) -> Void

        /// fontconfig's `FcFontSet` (same layout: two ints, then a pointer).
        struct FontSet {
            var nfont: Int32
            var sfont: Int32
            var fonts: UnsafeMutablePointer<OpaquePointer?>?
        }

        let patternCreate: PatternCreate
        let patternAddString: PatternAddString
        let patternAddCharSet: PatternAddCharSet
        let patternGetString: PatternGetString
        let patternDestroy: Destroy
        let charSetCreate: PatternCreate
        let charSetAddChar: CharSetAddChar
        let charSetDestroy: Destroy
        let objectSetCreate: PatternCreate
        let objectSetAdd: ObjectSetAdd
        let objectSetDestroy: Destroy
        let fontList: FontList
        let fontSetDestroy: FontSetDestroy

        init?() {
            #if canImport(Darwin)
            let names = ["libfontconfig.1.dylib", "/opt/homebrew/lib/libfontconfig.1.dylib", "/usr/local/lib/libfontconfig.1.dylib"]
            #else
            let names = ["libfontconfig.so.1", "libfontconfig.so"]
            #endif
            guard let handle = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else { return nil }
            func symbol<T>(_ name: String, as type: T.Type) -> T? {
                dlsym(handle, name).map { unsafeBitCast($0, to: type) }
            }
            guard let patternCreate = symbol("FcPatternCreate", as: PatternCreate.self),
                  let patternAddString = symbol("FcPatternAddString", as: PatternAddString.self),
                  let patternAddCharSet = symbol("FcPatternAddCharSet", as: PatternAddCharSet.self),
                  let patternGetString = symbol("FcPatternGetString", as: PatternGetString.self),
                  let patternDestroy = symbol("FcPatternDestroy", as: Destroy.self),
                  let charSetCreate = symbol("FcCharSetCreate", as: PatternCreate.self),
                  let charSetAddChar = symbol("FcCharSetAddChar", as: CharSetAddChar.self),
                  let charSetDestroy = symbol("FcCharSetDestroy", as: Destroy.self),
                  let objectSetCreate = symbol("FcObjectSetCreate", as: PatternCreate.self),
                  let objectSetAdd = symbol("FcObjectSetAdd", as: ObjectSetAdd.self),
                  let objectSetDestroy = symbol("FcObjectSetDestroy", as: Destroy.self),
                  let fontList = symbol("FcFontList", as: FontList.self),
                  let fontSetDestroy = symbol("FcFontSetDestroy", as: FontSetDestroy.self)
            else { return nil }
            self.patternCreate = patternCreate
            self.patternAddString = patternAddString
            self.patternAddCharSet = patternAddCharSet
            self.patternGetString = patternGetString
            self.patternDestroy = patternDestroy
            self.charSetCreate = charSetCreate
            self.charSetAddChar = charSetAddChar
            self.charSetDestroy = charSetDestroy
            self.objectSetCreate = objectSetCreate
            self.objectSetAdd = objectSetAdd
            self.objectSetDestroy = objectSetDestroy
            self.fontList = fontList
            self.fontSetDestroy = fontSetDestroy
        }

        /// The first family name of every installed font that matches: of the family
        /// `family` when given, carrying ``sampleCharacters`` when `chineseOnly`. Sorted,
        /// without repeats.
        func families(family: String?, chineseOnly: Bool) -> [String] {
            guard let pattern = patternCreate() else { return [] }
            defer { patternDestroy(pattern) }
            if let family {
                _ = patternAddString(pattern, "family", family)
            }
            if chineseOnly, let charSet = charSetCreate() {
                for character in Fontconfig.sampleCharacters { _ = charSetAddChar(charSet, character) }
                _ = patternAddCharSet(pattern, "charset", charSet)
                charSetDestroy(charSet)
            }
            guard let objects = objectSetCreate() else { return [] }
            defer { objectSetDestroy(objects) }
            _ = objectSetAdd(objects, "family")
            guard let raw = fontList(nil, pattern, objects) else { return [] }
            defer { fontSetDestroy(raw) }
            let set = raw.load(as: FontSet.self)
            var names: Set<String> = []
            for index in 0..<Int(set.nfont) {
                var name: UnsafeMutablePointer<UInt8>?
                if let font = set.fonts?[index], patternGetString(font, "family", 0, &name) == 0, let name {
                    names.insert(String(cString: name))
                }
            }
            return names.sorted()
        }
    }
}
