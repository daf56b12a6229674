import Foundation

/// Who owns a running run: host, pid and the pid's start time (so a recycled pid is not
/// mistaken for the original process). Start time comes from /proc on Linux, nil elsewhere.
struct ProcessIdentity: Equatable {
    var host: String
    var pid: Int32
    var start: String?

    static var current: ProcessIdentity {
        let pid = ProcessInfo.processInfo.processIdentifier
        return ProcessIdentity(host: ProcessInfo.processInfo.hostName, pid: pid, start: startTime(of: pid))
    }

    /// Field 22 of /proc/PID/stat (start time in clock ticks since boot).
    static func startTime(of pid: Int32) -> String? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        return fields.count > 19 ? String(fields[19]) : nil
    }

    /// Whether this process still runs. Processes on other hosts are assumed alive.
    var isAlive: Bool {
        guard host == ProcessInfo.processInfo.hostName else { return true }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        return start == nil || Self.startTime(of: pid) == start
    }
}
