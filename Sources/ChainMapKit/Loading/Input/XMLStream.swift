import CDeferred

/// What an ``XMLStream`` calls as it parses: names, attributes and text are bytes valid
/// during the call only.
protocol XMLStreamHandler: AnyObject {
    /// An element starts: its local name (no prefix) and its attributes.
    func start(_ name: UnsafeBufferPointer<UInt8>, _ attributes: XMLStream.Attributes)
    /// An element ends.
    func end(_ name: UnsafeBufferPointer<UInt8>)
    /// Text, in pieces: one text node may come in several calls.
    func text(_ bytes: UnsafeBufferPointer<UInt8>)
    /// Whether the handler is done with the document (it found what it needed, or a
    /// problem): the rest of the part is then not unzipped.
    var isDone: Bool { get }
}

extension XMLStreamHandler {
    var isDone: Bool { false }
}

/// A streaming XML reader: libxml2's SAX2 push parser, fed bytes as they are unzipped,
/// calling back for each element and piece of text. Nothing of the document is kept but
/// what the callbacks keep: a sheet of 200,000 rows is read in constant memory.
///
/// Safe on hostile input: no network access, no external entities or DTDs loaded, and
/// libxml2's own limits on entity expansion and text size stay on (no `XML_PARSE_HUGE`).
/// Its messages are taken, not printed.
final class XMLStream {
    /// What the document calls for, as closures: for small parts read once.
    final class Callbacks: XMLStreamHandler {
        var onStart: (_ name: UnsafeBufferPointer<UInt8>, _ attributes: Attributes) -> Void
        var onEnd: (_ name: UnsafeBufferPointer<UInt8>) -> Void
        var onText: (_ bytes: UnsafeBufferPointer<UInt8>) -> Void

        init(
            start: @escaping (_ name: UnsafeBufferPointer<UInt8>, _ attributes: Attributes) -> Void = { _, _ in },
            end: @escaping (_ name: UnsafeBufferPointer<UInt8>) -> Void = { _ in },
            text: @escaping (_ bytes: UnsafeBufferPointer<UInt8>) -> Void = { _ in }
        ) {
            onStart = start
            onEnd = end
            onText = text
        }

        func start(_ name: UnsafeBufferPointer<UInt8>, _ attributes: Attributes) { onStart(name, attributes) }
        func end(_ name: UnsafeBufferPointer<UInt8>) { onEnd(name) }
        func text(_ bytes: UnsafeBufferPointer<UInt8>) { onText(bytes) }
    }

    /// The attributes of a starting element, as libxml2 passes them (five pointers each:
    /// local name, prefix, URI, value start, value end).
    struct Attributes {
        let count: Int
        let raw: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?

        /// The value of the attribute with this local name, as bytes valid during the call.
        func value(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
            guard let raw else { return nil }
            for i in 0..<count {
                guard let local = raw[i * 5], let start = raw[i * 5 + 3], let end = raw[i * 5 + 4] else { continue }
                if XMLStream.equals(local, name) {
                    return UnsafeBufferPointer(start: start, count: end - start)
                }
            }
            return nil
        }

        /// Each attribute whose local name is one byte long (`r`, `t`, `s` of a cell):
        /// that byte and the value, in one pass.
        func forEachShort(_ body: (UInt8, UnsafeBufferPointer<UInt8>) -> Void) {
            guard let raw else { return }
            for i in 0..<count {
                guard let local = raw[i * 5], local[0] != 0, local[1] == 0, let start = raw[i * 5 + 3], let end = raw[i * 5 + 4] else { continue }
                body(local[0], UnsafeBufferPointer(start: start, count: end - start))
            }
        }

        /// The value as a String.
        func string(_ name: StaticString) -> String? {
            value(name).map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// Reached from each event through a guaranteed reference to the stream, so that no
    /// event retains or releases anything.
    private let handler: any XMLStreamHandler
    private var context: xmlParserCtxtPtr?
    private(set) var failure: String?

    init(_ handler: any XMLStreamHandler) {
        self.handler = handler
        var handler = xmlSAXHandler()
        handler.initialized = UInt32(XML_SAX2_MAGIC)
        handler.startElementNs = { context, localName, _, _, _, _, attributeCount, _, attributes in
            guard let context, let localName else { return }
            Unmanaged<XMLStream>.fromOpaque(context)._withUnsafeGuaranteedRef {
                $0.handler.start(
                    UnsafeBufferPointer(start: localName, count: strlen(localName)),
                    Attributes(count: Int(attributeCount), raw: attributes))
            }
        }
        handler.endElementNs = { context, localName, _, _ in
            guard let context, let localName else { return }
            Unmanaged<XMLStream>.fromOpaque(context)._withUnsafeGuaranteedRef {
                $0.handler.end(UnsafeBufferPointer(start: localName, count: strlen(localName)))
            }
        }
        handler.characters = { context, bytes, length in
            guard let context, let bytes else { return }
            Unmanaged<XMLStream>.fromOpaque(context)._withUnsafeGuaranteedRef {
                $0.handler.text(UnsafeBufferPointer(start: bytes, count: Int(length)))
            }
        }
        // Messages are read from the context on failure, never printed.
        handler.serror = { _, _ in }
        // Workbook loads libxml2 before any stream is made; this is the stream's own check.
        if let problem = DeferredLibrary.xml2.load() {
            failure = problem
            return
        }
        context = chainmap_xmlCreatePushParserCtxt()(&handler, Unmanaged.passUnretained(self).toOpaque(), nil, 0, nil)
        if let context {
            chainmap_xmlCtxtUseOptions()(context, Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue))
        } else {
            failure = "libxml2 could not start a parser"
        }
    }

    deinit {
        if let context { chainmap_xmlFreeParserCtxt()(context) }
    }

    /// Parses the next bytes. Returns false (with ``failure`` set) when the XML is broken.
    @discardableResult
    func feed(_ bytes: UnsafeRawBufferPointer, last: Bool = false) -> Bool {
        guard failure == nil, let context else { return false }
        let status = bytes.withMemoryRebound(to: CChar.self) { chars in
            chainmap_xmlParseChunk()(context, chars.baseAddress, Int32(chars.count), last ? 1 : 0)
        }
        if status != 0 {
            failure = Self.message(context)
            return false
        }
        return true
    }

    /// Ends the document. Returns false when it is incomplete or broken.
    @discardableResult
    func finish() -> Bool {
        feed(UnsafeRawBufferPointer(start: nil, count: 0), last: true)
    }

    /// libxml2's message for the last error, with its line.
    static func message(_ context: xmlParserCtxtPtr) -> String {
        guard let error = chainmap_xmlCtxtGetLastError()(context), let text = error.pointee.message else {
            return "the XML is not well-formed"
        }
        let message = String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
        return "\(message) (XML line \(error.pointee.line))"
    }

    /// Whether a NUL-terminated libxml2 name equals a static name.
    @inline(__always)
    static func equals(_ name: UnsafePointer<xmlChar>, _ other: StaticString) -> Bool {
        let length = other.utf8CodeUnitCount
        return memcmp(name, other.utf8Start, length) == 0 && name[length] == 0
    }

    /// Whether a name buffer equals a static name.
    @inline(__always)
    static func equals(_ name: UnsafeBufferPointer<UInt8>, _ other: StaticString) -> Bool {
        name.count == other.utf8CodeUnitCount && memcmp(name.baseAddress!, other.utf8Start, name.count) == 0
    }
}

import Foundation
