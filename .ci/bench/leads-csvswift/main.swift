// The library-reader side of the lead benchmark (.ci/bench/leads.sh): the same matching
// and scoring as `chainmap leads`, with the export read by yaslab/CSV.swift instead of
// chainmap's own byte scanner (Sources/ChainMapKit/Matching/CSVScanner.swift).
//
// CSV.swift reads sequentially on this thread; rows go in batches to worker threads, which
// do what chainmap's workers do: run the keyword automaton over the scope and name,
// check the code, and build, match and score the rows that have evidence.
//
// Usage: leads-bench-csvswift CHAIN.yaml EXPORT.csv
import CSV
import ChainMapKit
import Foundation
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: leads-bench-csvswift CHAIN.yaml EXPORT.csv\n".utf8))
    exit(2)
}
let began = Date()
guard let chain = ChainLoader().load(path: arguments[1]).chain else {
    FileHandle.standardError.write(Data("cannot load \(arguments[1])\n".utf8))
    exit(1)
}
let screener = try LeadScreener(analysis: GapAnalysis(chain))
guard let stream = InputStream(fileAtPath: arguments[2]) else { exit(1) }
let reader = try CSVReader(stream: stream, hasHeaderRow: true)
guard let header = reader.headerRow, let columns = LeadColumns(headers: header) else {
    FileHandle.standardError.write(Data("no header row with 企业名称\n".utf8))
    exit(1)
}

struct Counts: Sendable {
    var rows = 0, matched = 0, recommended = 0
}

/// What a worker needs to match a batch.
struct Matcher: Sendable {
    let screener: LeadScreener
    let columns: LeadColumns
    let rowReader: LeadRowReader
    let file: String

    /// Matches one batch of rows; `firstLine` is the line of its first row.
    func match(_ rows: [[String]], firstLine: Int) -> Counts {
        var counts = Counts()
        let nameColumn = columns[.name]!
        for (offset, cells) in rows.enumerated() {
            counts.rows += 1
            let location = FileLocation(file: file, line: firstLine + offset, column: 1)
            // The cheap probe first: name, scope and code only.
            let probe = Lead(
                name: cells[nameColumn], code: columns[.code].flatMap { screener.matcher.industryCode(in: cells[$0]) },
                scope: columns[.scope].map { cells[$0] }, location: location)
            guard !screener.matcher.match(probe).isEmpty else { continue }
            var problems: [LeadRowReader.Problem] = []
            guard case .lead(let lead) = rowReader.read(cells: cells, location: location, problems: &problems) else { continue }
            counts.matched += 1
            if case .recommended = screener.evaluate(lead) { counts.recommended += 1 }
        }
        return counts
    }
}

let matcher = Matcher(
    screener: screener, columns: columns,
    rowReader: LeadRowReader(columns: columns, matcher: screener.matcher), file: arguments[2])
let total = Mutex(Counts())
let group = DispatchGroup()
let slots = DispatchSemaphore(value: 4)
var batch: [[String]] = []
var line = 2
var batchLine = 2
while let row = reader.next() {
    batch.append(row)
    line += 1
    if batch.count == 10_000 {
        let rows = batch, first = batchLine
        batch = []
        batchLine = line
        slots.wait()
        DispatchQueue.global().async(group: group) {
            let counts = matcher.match(rows, firstLine: first)
            total.withLock { $0.rows += counts.rows; $0.matched += counts.matched; $0.recommended += counts.recommended }
            slots.signal()
        }
    }
}
let last = matcher.match(batch, firstLine: batchLine)
group.wait()
let counts = total.withLock { $0.rows += last.rows; $0.matched += last.matched; $0.recommended += last.recommended; return $0 }
let seconds = Date().timeIntervalSince(began)
print("csv.swift: \(counts.rows) rows, \(counts.matched) matched, \(counts.recommended) recommended, \(String(format: "%.2f", seconds)) s")
