import Foundation

/// CPU seconds of a process and its live descendants, read from /proc (as the Python benchmark
/// reads the server's).
enum ProcessCPU {
    static func treeSeconds(_ pid: Int32) -> Double? {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else { return nil }
        var children: [Int32: [Int32]] = [:]
        var ticks: [Int32: Int] = [:]
        for entry in entries {
            guard let id = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            let fields = stat[stat.index(close, offsetBy: 2)...].split(separator: " ")
            guard fields.count > 12, let parent = Int32(fields[1]), let user = Int(fields[11]), let system = Int(fields[12])
            else { continue }
            ticks[id] = user + system
            children[parent, default: []].append(id)
        }
        guard ticks[pid] != nil else { return nil }
        var total = 0
        var pending = [pid]
        while let current = pending.popLast() {
            total += ticks[current] ?? 0
            pending += children[current] ?? []
        }
        return Double(total) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}
