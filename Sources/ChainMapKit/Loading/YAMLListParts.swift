import Yams

/// A large file's long top-level lists (a chain's `links:` and `enterprises:`), composed a
/// part at a time.
///
/// `compose` builds a file's whole node tree before the loader sees a node, and the tree
/// takes about 13 times the file's size (130 MB for a 9.6 MB chain). So a file larger
/// than one part is read as a head (the file with every item but the first of each list
/// blanked to its line breaks) and the later parts, each a run of whole items composed
/// alone when the loader reaches it and let go after. Each part is composed behind as many line
/// breaks as there are lines before it, so every node keeps its file line and column.
///
/// The cut is lexical, so it is made only where it cannot change what the file means;
/// any other file is composed whole, as before:
/// - no tab, anchor or alias (`&`, `*`) anywhere, and no keep-chomped block scalar
///   (`|+`, `>2+`), which would keep the blank lines that stand for the later parts;
/// - lines end in LF or CR LF only: a CR alone, NEL, LS and PS end lines for libyaml, and
///   the parts are placed by counting LFs;
/// - every line at column 0 is a comment or a plain `key:`, so no document marker,
///   directive or flow value starts there;
/// - a list cut is a `key:` line with nothing after it, whose items are lines `- ` at one
///   indentation, with every other line of it indented deeper (or blank, or a comment).
///
/// An item's content is indented deeper than its `- `, so a line that starts an item ends
/// the one before, unless it is inside a quoted scalar or a flow collection left open on
/// an earlier line. Two checks catch that, and the file is then read whole, so that its
/// result and its errors are exactly those of composing it whole:
/// - Opened in a later part, the construct is still open at the part's end when the part
///   is composed alone, which fails (the loader then reads the file again whole).
/// - Opened in a list's first item (the head's), it runs over the blanked lines into the
///   next top-level key, which the head then lacks: the head is used only when its
///   top-level keys are the file's lines `key:`, each at its line (``ListCut/fits(_:)``).
///   Without that check, `name: 'A` in the first item and `region: R'` after the list
///   loaded as two chains that differ, both without an error.
extension YAMLSyntax {
    /// One later part of a long top-level list: whole items, from the start of a line.
    struct ListPart: Sendable, Equatable {
        /// The part's bytes in the file's UTF-8 text.
        var bytes: Range<Int>
        /// The line the part starts on.
        var line: Int
        /// How many items it holds.
        var items: Int
    }

    /// The largest part a long list is cut into, in bytes of text (256 KB, whose node
    /// tree is 2.5–3.5 MB, half of a 512 KB part's; two are in memory at once, one composed
    /// while the other is read: see ``ChainLoader/Builder/forEachItem(of:_:_:)``).
    static let listPartBytes = 256 << 10

    /// A file cut for composing in parts.
    struct ListCut {
        /// The file with every item but the first of each list cut blanked to its line breaks.
        var head: String
        /// The later parts of each list cut, by key.
        var parts: [String: [ListPart]]
        /// The file's top-level keys as its lines show them (`key:` at column 1), in order.
        var keys: [(key: String, line: Int)]

        /// Whether the composed head is what the lines promise: a mapping of exactly
        /// ``keys``, each at its line. A quoted scalar or flow collection left open in a
        /// list's first item runs over the blanked lines into the next key, which the
        /// head then lacks.
        func fits(_ root: Node) -> Bool {
            guard case .mapping(let mapping) = root, mapping.count == keys.count else { return false }
            for ((key, _), expected) in zip(mapping, keys) {
                guard case .scalar(let scalar) = key, scalar.string == expected.key,
                      key.mark?.line == expected.line, key.mark?.column == 1 else { return false }
            }
            return true
        }
    }

    /// The bytes that may stop ``listParts(in:keys:partBytes:)`` (a tab, an anchor or
    /// alias, a block scalar's keep indicator, a lone CR, NEL, LS or PS): true at each.
    static let stopBytes: [Bool] = (0..<256).map {
        [0x09, 0x26, 0x2A, 0x7C, 0x3E, 0x0D, 0xC2, 0xE2].contains($0)
    }

    /// The head to compose and the later parts of the lists named by `keys`, or nil when
    /// the file is not cut: it breaks a condition above, is no larger than one part, or
    /// has no list of more than one item.
    static func listParts(in text: String, keys: Set<String>, partBytes: Int) -> ListCut? {
        var text = text
        return text.withUTF8 { listParts(in: $0, keys: keys, partBytes: partBytes) }
    }

    private static func listParts(
        in u: UnsafeBufferPointer<UInt8>, keys: Set<String>, partBytes: Int
    ) -> ListCut? {
        let n = u.count
        guard n > partBytes, !keys.isEmpty else { return nil }
        let lf: UInt8 = 0x0A, cr: UInt8 = 0x0D, space = UInt8(ascii: " "), hash = UInt8(ascii: "#")
        // Only the bytes of ``stopBytes`` need a look: a table lookup per byte, the switch
        // only for them.
        let stops = stopBytes
        for i in 0..<n where stops[Int(u[i])] {
            switch u[i] {
            case 0x09, UInt8(ascii: "&"), UInt8(ascii: "*"):
                return nil
            case UInt8(ascii: "|"), UInt8(ascii: ">"):
                if (i + 1 < n && u[i + 1] == UInt8(ascii: "+")) || (i + 2 < n && u[i + 2] == UInt8(ascii: "+")) { return nil }
            case cr:
                if i + 1 == n || u[i + 1] != lf { return nil }
            case 0xC2:
                if i + 1 < n && u[i + 1] == 0x85 { return nil }
            case 0xE2:
                if i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xA8 || u[i + 2] == 0xA9) { return nil }
            default:
                break
            }
        }

        /// A list under a top-level key: its items' indentation and where each starts.
        struct Region {
            var key: String
            var indentation: Int?
            var items: [(offset: Int, line: Int)] = []
            var end = 0
        }
        var regions: [Region] = []
        var topKeys: [(key: String, line: Int)] = []
        var current: Region?
        var offset = 0
        var line = 1
        while offset < n {
            let end = TextSearch.offset(of: lf, in: u.baseAddress!, from: offset, to: n)
            defer { offset = end + 1; line += 1 }
            var first = offset
            while first < end, u[first] == space { first += 1 }
            if first == end || u[first] == cr || u[first] == hash { continue }
            let indentation = first - offset
            if indentation == 0 {
                if var region = current {
                    region.end = offset
                    regions.append(region)
                    current = nil
                }
                // A plain key: a word, a colon, then a space or the end of the line.
                var k = offset
                while k < end, isKeyByte(u[k]) { k += 1 }
                guard k > offset, k < end, u[k] == UInt8(ascii: ":") else { return nil }
                var rest = k + 1
                guard rest == end || u[rest] == space || u[rest] == cr else { return nil }
                while rest < end, u[rest] == space { rest += 1 }
                let key = String(decoding: UnsafeBufferPointer(rebasing: u[offset..<k]), as: UTF8.self)
                topKeys.append((key, line))
                if rest == end || u[rest] == cr || u[rest] == hash, keys.contains(key) {
                    current = Region(key: key)
                }
            } else if current != nil {
                // Changed in place: a copy of the region would copy its items each time.
                let items = current!.indentation ?? indentation
                guard indentation >= items else { return nil }
                if indentation == items {
                    let next = first + 1
                    guard u[first] == UInt8(ascii: "-"), next == end || u[next] == space || u[next] == cr else { return nil }
                    current!.indentation = items
                    current!.items.append((offset, line))
                }
            }
        }
        if var region = current {
            region.end = n
            regions.append(region)
        }

        // The first item of each list stays in the head (so that the head's list is
        // what the file's is, but for its length); the rest are cut into parts.
        var parts: [String: [ListPart]] = [:]
        var cuts: [Range<Int>] = []
        for region in regions where region.items.count > 1 {
            let items = region.items
            var start = 1
            while start < items.count {
                var next = start + 1
                while next < items.count, items[next].offset - items[start].offset < partBytes { next += 1 }
                let bytes = items[start].offset..<(next < items.count ? items[next].offset : region.end)
                parts[region.key, default: []].append(ListPart(bytes: bytes, line: items[start].line, items: next - start))
                cuts.append(bytes)
                start = next
            }
        }
        guard !cuts.isEmpty else { return nil }
        var head: [UInt8] = []
        var cursor = 0
        for cut in cuts.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            head.append(contentsOf: UnsafeBufferPointer(rebasing: u[cursor..<cut.lowerBound]))
            var breaks = 0
            for i in cut where u[i] == lf { breaks += 1 }
            head.append(contentsOf: repeatElement(lf, count: breaks))
            cursor = cut.upperBound
        }
        head.append(contentsOf: UnsafeBufferPointer(rebasing: u[cursor..<n]))
        return ListCut(head: String(decoding: head, as: UTF8.self), parts: parts, keys: topKeys)
    }

    /// Letters, digits, `-` and `_`: what a plain top-level key of chainmap's files is
    /// made of.
    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }

    /// What ``items(of:in:file:repeats:)`` gave.
    enum PartItems {
        /// The part's items, and the repeated keys blanked in them.
        case items([Node], problems: [Diagnostic])
        /// Repeated keys, up to one that was not blanked (past the file's budget, or in a
        /// flow mapping): the file is read no further.
        case stopped([Diagnostic])
    }

    /// The items of a later part, composed alone behind its line breaks; nil when the part
    /// does not compose alone as a list (the file is then read whole).
    ///
    /// The part is composed as the value of a key on the line before it, so that its items
    /// sit as deep as in the file (libyaml refuses nesting beyond 1,000 levels, counted
    /// from the top of the text it reads: a part composed as the document's own list let
    /// through an item one level deeper than the file allows, found by review).
    ///
    /// Repeated keys are blanked and reported (``compose(_:file:columns:budget:)``),
    /// `repeats` at most in the file's parts together.
    static func items(of part: ListPart, in text: String, file: String, repeats: inout Int) -> PartItems? {
        var text = text
        let source = text.withUTF8 { utf8 -> String in
            var bytes = [UInt8](repeating: 0x0A, count: max(0, part.line - 2))
            bytes.append(contentsOf: Array("k:\n".utf8))
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[part.bytes]))
            return String(decoding: bytes, as: UTF8.self)
        }
        guard part.line >= 2 else { return nil }
        let composed: Document
        switch compose(source, file: file, budget: &repeats) {
        case .composed(let document): composed = document
        case .stopped(let problems): return .stopped(problems)
        case .failed, .unreadable: return nil
        }
        guard case .mapping(let mapping)? = composed.root, mapping.count == 1,
              case .sequence(let items)? = mapping.first?.value else { return nil }
        return .items(Array(items), problems: composed.problems)
    }
}
