// The library-reader side of the lead benchmark (.ci/bench/leads.sh): the same screening
// as `chainmap leads`, with the export read by yaslab/CSV.swift instead of chainmap's
// own byte scanner (Sources/ChainMapKit/Loading/Input/CSVScanner.swift).
//
// CSV.swift is plugged in as a `RowSource`, the protocol every table format of chainmap
// implements: it reads the cells, and chainmap's own row checks, matcher and scorer take
// them (through `RowFeeder`, on this thread). The difference in time is the reader's.
//
// Usage: leads-bench-csvswift CHAIN.yaml EXPORT.csv
import CSV
import ChainMapKit
import Foundation

/// An export read by CSV.swift, row by row.
struct CSVSwiftSource: RowSource {
    let file: String

    func read<Consumer: RowConsumer>(
        into consumer: Consumer, progress: (@Sendable (ReadProgress) -> Void)?
    ) -> RowRead<Consumer.Batch> {
        var feeder = RowFeeder(file: file, format: "CSV (CSV.swift)", consumer: consumer)
        guard let stream = InputStream(fileAtPath: file), let reader = try? CSVReader(stream: stream, hasHeaderRow: true),
              let header = reader.headerRow
        else {
            feeder.report(.error(.input, "CSV.swift cannot read \(file)"))
            return feeder.finish()
        }
        guard feeder.header(header) else { return feeder.finish() }
        var line = 1
        while let row = reader.next() {
            line += 1
            feeder.row(row, line: line)
        }
        return feeder.finish()
    }
}

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
let run = screener.screen([.rows(CSVSwiftSource(file: arguments[2]))])
let counts = run.screenings[0].totals
let seconds = Date().timeIntervalSince(began)
print("csv.swift: \(counts.rows) rows, \(counts.matched) matched, \(counts.recommended) recommended, \(String(format: "%.2f", seconds)) s")
