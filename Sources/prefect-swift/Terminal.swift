import Foundation

/// Where the command's output goes: a terminal (colours, its width, a live status line) or a
/// pipe (plain text), as Prefect's CLI decides through rich.
struct Terminal: Sendable {
    /// Whether standard output is a terminal.
    let isInteractive: Bool
    /// Columns to fit tables in; `nil` for a pipe (no limit).
    let width: Int?
    /// Whether to colour the output (a terminal, and `NO_COLOR` unset).
    let colours: Bool

    static let current: Terminal = {
        let interactive = isatty(STDOUT_FILENO) == 1
        let environment = ProcessInfo.processInfo.environment
        var width: Int?
        if interactive {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
            if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { width = columns }
            width = width ?? 80
        }
        return Terminal(isInteractive: interactive, width: width, colours: interactive && environment["NO_COLOR"] == nil)
    }()

    enum Style: String {
        case cyan = "36"
        case blue = "34"
        case green = "32"
        case red = "31"
        case yellow = "33"
        case grey = "90"
        case bold = "1"
        case magenta = "35"
    }

    /// `text` in `style` on a colour terminal, else as it is.
    func styled(_ text: String, _ style: Style?) -> String {
        guard colours, let style else { return text }
        return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
    }

    /// The colour Prefect's UI gives a state type.
    static func style(forState type: String) -> Style? {
        switch type.uppercased() {
        case "COMPLETED": .green
        case "FAILED", "CRASHED": .red
        case "RUNNING": .blue
        case "SCHEDULED", "PENDING", "PAUSED": .yellow
        case "CANCELLED", "CANCELLING": .grey
        default: nil
        }
    }

    /// Replaces the live status line (a terminal only; a pipe gets nothing).
    func status(_ line: String) {
        guard isInteractive else { return }
        var text = line
        if let width, text.count >= width { text = String(text.prefix(width - 1)) }
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    }

    /// Clears the live status line.
    func clearStatus() {
        guard isInteractive else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}
