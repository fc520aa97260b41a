/// A table as Prefect's CLI prints them: a title, a header row, aligned columns; on a
/// terminal narrower than the table the widest truncatable column is cut with `…`.
struct Table {
    struct Column {
        var title: String
        var style: Terminal.Style?
        var rightAligned = false
        /// Whether this column may be cut to fit the terminal.
        var truncatable = true
    }

    var title: String
    var columns: [Column]
    var rows: [[String]] = []
    /// A per-cell style (e.g. by state), overriding the column's.
    var cellStyle: (_ row: Int, _ column: Int) -> Terminal.Style? = { _, _ in nil }

    func render(on terminal: Terminal) -> String {
        var widths = columns.indices.map { index in
            max(columns[index].title.count, rows.map { $0[index].count }.max() ?? 0)
        }
        if let limit = terminal.width {
            let separators = 3 * (columns.count - 1) + 4
            while widths.reduce(0, +) + separators > limit {
                let candidates = columns.indices.filter { columns[$0].truncatable && widths[$0] > 4 }
                guard let widest = candidates.max(by: { widths[$0] < widths[$1] }) else { break }
                widths[widest] -= 1
            }
        }
        func cell(_ text: String, _ index: Int) -> String {
            var shown = text
            if shown.count > widths[index] { shown = String(shown.prefix(max(1, widths[index] - 1))) + "…" }
            let padding = String(repeating: " ", count: max(0, widths[index] - shown.count))
            return columns[index].rightAligned ? padding + shown : shown + padding
        }
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
        var lines = [terminal.styled(title, .bold), rule]
        lines.append("| " + columns.indices.map { terminal.styled(cell(columns[$0].title, $0), .bold) }.joined(separator: " | ") + " |")
        lines.append(rule)
        for (rowIndex, row) in rows.enumerated() {
            let cells = columns.indices.map { index in
                terminal.styled(cell(row[index], index), cellStyle(rowIndex, index) ?? columns[index].style)
            }
            lines.append("| " + cells.joined(separator: " | ") + " |")
        }
        lines.append(rule)
        return lines.joined(separator: "\n")
    }
}
