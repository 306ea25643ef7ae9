import ChainMapKit
import Testing

@Suite("TextTable")
struct TextTableTests {
    @Test("display width: CJK and fullwidth 2, ASCII 1, combining marks 0")
    func displayWidth() {
        #expect(TextTable.displayWidth("abc") == 3)
        #expect(TextTable.displayWidth("电芯") == 4)
        #expect(TextTable.displayWidth("电池包/PACK") == 11)
        #expect(TextTable.displayWidth("（碳酸锂、氢氧化锂）") == 20)
        #expect(TextTable.displayWidth("ＡＢ") == 4)
        #expect(TextTable.displayWidth("e\u{301}") == 1)
        #expect(TextTable.displayWidth("한국") == 4)
        #expect(TextTable.displayWidth("🔋") == 2)
        #expect(TextTable.displayWidth("a\u{200B}b") == 2)
        #expect(TextTable.displayWidth("") == 0)
    }

    /// Strips ANSI escape sequences.
    static func plain(_ text: String) -> String {
        var out = ""
        var inEscape = false
        for c in text {
            if c == "\u{1B}" { inEscape = true; continue }
            if inEscape { if c == "m" { inEscape = false }; continue }
            out.append(c)
        }
        return out
    }

    static let sample = TextTable(
        headers: ["序号", "环节", "优先级", "理由"],
        rows: [
            ["1", "正极材料", "58.6", "下游 电芯 已有本地企业\n上游 锂盐 亦缺失"],
            ["10", "电池包/PACK", "5.0", "战略权重 4"],
        ],
        alignments: [.right, .left, .right, .left])

    @Test("terminal text aligns CJK columns by display width, stacks lines, has no trailing spaces")
    func text() {
        let text = Self.sample.text()
        let expected = [
            "序号  环节         优先级  理由",
            String(repeating: "-", count: 4 + 11 + 6 + 22 + 3 * 2),
            "   1  正极材料       58.6  下游 电芯 已有本地企业",
            String(repeating: " ", count: 4 + 2 + 11 + 2 + 6 + 2) + "上游 锂盐 亦缺失",
            "  10  电池包/PACK     5.0  战略权重 4",
        ]
        #expect(text == expected.joined(separator: "\n") + "\n")
        let lines = text.split(separator: "\n")
        #expect(lines.allSatisfy { !$0.hasSuffix(" ") })
    }

    @Test("styles wrap cells after padding, so alignment is unchanged")
    func styled() {
        let plain = Self.sample.text(indent: 2)
        let styled = Self.sample.text(indent: 2, headerStyle: .bold) { row, column in
            column == 1 ? (row == 0 ? .red : TextStyle.cyan.and(.bold)) : nil
        }
        #expect(styled != plain)
        #expect(styled.contains("\u{1B}[31m正极材料\u{1B}[0m"))
        #expect(styled.contains("\u{1B}[36;1m电池包/PACK\u{1B}[0m"))
        #expect(Self.plain(styled) == plain)
        #expect(plain.hasPrefix("  序号"))
    }

    @Test("rows shorter than the header are padded; an empty table is empty")
    func ragged() {
        let table = TextTable(headers: ["a", "b", "c"], rows: [["1"]])
        #expect(table.columnCount == 3)
        #expect(table.text() == "a  b  c\n-------\n1\n")
        #expect(table.csv(byteOrderMark: false) == "a,b,c\r\n1,,\r\n")
        #expect(TextTable(headers: []).text() == "")
    }

    @Test("CSV: UTF-8 BOM, RFC 4180 quoting, CRLF records")
    func csv() {
        let table = TextTable(
            headers: ["名称", "说明"],
            rows: [["示例, 公司", "他说\"好\""], ["多行", "第一行\n第二行"], ["普通", "锂盐；正极"]])
        let csv = table.csv()
        #expect(Array(csv.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(csv == "\u{FEFF}名称,说明\r\n\"示例, 公司\",\"他说\"\"好\"\"\"\r\n多行,\"第一行\n第二行\"\r\n普通,锂盐；正极\r\n")
        #expect(!table.csv(byteOrderMark: false).hasPrefix("\u{FEFF}"))
        #expect(CSVText.field("a\rb") == "\"a\rb\"")
        // Cells Excel would run as formulas are defused; numbers are left alone.
        #expect(CSVText.field("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"")
        #expect(CSVText.field("@SUM(A1)") == "'@SUM(A1)")
        #expect(CSVText.field("-5") == "-5")
    }

    @Test("Markdown: pipes escaped, lines joined without HTML, right alignment marked")
    func markdown() {
        let table = TextTable(
            headers: ["环节", "优先级"],
            rows: [["A|B", "1.0"], ["多\n行", "2.0"]],
            alignments: [.left, .right])
        #expect(table.markdown() == """
            | 环节 | 优先级 |
            |------------|------------:|
            | A\\|B | 1.0 |
            | 多；行 | 2.0 |

            """)
    }
}
