// The XML side of the workbook benchmark (.ci/bench/xlsx.sh): the sheet of an .xlsx
// parsed by libxml2's SAX push parser (what chainmap uses) and by Foundation's
// XMLParser, each counting cells and the bytes of their values, in the same process.
//
//   swift run -c release xlsx-bench-parsers WORKBOOK.xlsx
import CLibXML2
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

let path = CommandLine.arguments[1]
let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
guard let entry = archive["xl/worksheets/sheet1.xml"] else { fatalError("no xl/worksheets/sheet1.xml") }
var sheet = Data()
_ = try archive.extract(entry, bufferSize: 1 << 18) { sheet.append($0) }
print("sheet1.xml: \(sheet.count >> 20) MB unzipped")

func time(_ label: String, _ body: () -> (Int, Int)) {
    let clock = ContinuousClock()
    let start = clock.now
    let (cells, bytes) = body()
    let seconds = Double((clock.now - start).components.attoseconds) / 1e18 + Double((clock.now - start).components.seconds)
    print(String(format: "%-34@ %8.2f s  %9d cells  %11d value bytes", label as NSString, seconds, cells, bytes))
}

// libxml2 SAX2, fed in 256 KB chunks as chainmap feeds it while unzipping.
/// Whether a libxml2 name is the one-letter name `letter`.
@inline(__always)
func isName(_ name: UnsafePointer<xmlChar>?, _ letter: UInt8) -> Bool {
    guard let name else { return false }
    return name[0] == letter && name[1] == 0
}

final class Counter {
    var cells = 0
    var bytes = 0
    var inValue = false
}
time("libxml2 SAX push parser") {
    let counter = Counter()
    var handler = xmlSAXHandler()
    handler.initialized = UInt32(XML_SAX2_MAGIC)
    handler.startElementNs = { context, name, _, _, _, _, _, _, _ in
        let counter = Unmanaged<Counter>.fromOpaque(context!).takeUnretainedValue()
        if isName(name, UInt8(ascii: "v")) || isName(name, UInt8(ascii: "t")) { counter.inValue = true }
        if isName(name, UInt8(ascii: "c")) { counter.cells += 1 }
    }
    handler.endElementNs = { context, name, _, _ in
        let counter = Unmanaged<Counter>.fromOpaque(context!).takeUnretainedValue()
        if isName(name, UInt8(ascii: "v")) || isName(name, UInt8(ascii: "t")) { counter.inValue = false }
    }
    handler.characters = { context, _, length in
        let counter = Unmanaged<Counter>.fromOpaque(context!).takeUnretainedValue()
        if counter.inValue { counter.bytes += Int(length) }
    }
    let context = xmlCreatePushParserCtxt(&handler, Unmanaged.passUnretained(counter).toOpaque(), nil, 0, nil)!
    sheet.withUnsafeBytes { all in
        var offset = 0
        while offset < all.count {
            let n = min(1 << 18, all.count - offset)
            _ = xmlParseChunk(context, all.baseAddress!.advanced(by: offset).assumingMemoryBound(to: CChar.self), Int32(n), 0)
            offset += n
        }
    }
    xmlParseChunk(context, nil, 0, 1)
    xmlFreeParserCtxt(context)
    return (counter.cells, counter.bytes)
}

// Foundation's XMLParser on the same bytes.
final class Delegate: NSObject, XMLParserDelegate {
    var cells = 0
    var bytes = 0
    var inValue = false
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "v" || name == "t" { inValue = true }
        if name == "c" { cells += 1 }
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "v" || name == "t" { inValue = false }
    }
    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { bytes += string.utf8.count }
    }
}
time("Foundation XMLParser") {
    let delegate = Delegate()
    let parser = XMLParser(data: sheet)
    parser.delegate = delegate
    _ = parser.parse()
    return (delegate.cells, delegate.bytes)
}
