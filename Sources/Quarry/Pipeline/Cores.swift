#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// How many cores a run has: the default number of jobs, and whether a thread
/// may watch for work (`Signal`).
public enum Cores {
    /// The cores this process may use: those of its affinity mask (`taskset`, a
    /// container's cpuset; `Cpus_allowed` in /proc/self/status, as Glibc's
    /// `sched_getaffinity` is not visible from Swift), else those online; fewer
    /// when a control group's CPU limit allows less time than that (a container
    /// started with `--cpus 1.5` has two cores' worth, rounded up).
    /// (Foundation's `activeProcessorCount` counts every core online.)
    public static let available: Int = {
        var cores: Int
        if let status = read("/proc/self/status"), let allowed = allowedCores(status: status) {
            cores = allowed
        } else {
            let online = sysconf(Int32(_SC_NPROCESSORS_ONLN))
            cores = online > 0 ? online : 1
        }
        if let groups = read("/proc/self/cgroup"), let mounts = read("/proc/self/mountinfo"),
           let limit = limitCores(cgroup: groups, mountinfo: mounts, read: read)
        {
            cores = min(cores, limit)
        }
        return max(1, cores)
    }()

    private static func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }

    /// The cores a `/proc/PID/status` text allows (the bits of its `Cpus_allowed`
    /// mask, hex digits in groups of eight), or nil when it says none.
    static func allowedCores(status: String) -> Int? {
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Cpus_allowed:") }) else { return nil }
        let count = line.dropFirst("Cpus_allowed:".count).reduce(0) { count, character in
            count + (character.hexDigitValue?.nonzeroBitCount ?? 0)
        }
        return count > 0 ? count : nil
    }

    /// The cores' worth of CPU time that the process's control groups allow, rounded
    /// up, or nil when none sets a limit: the lowest limit of its group and the
    /// groups above it (each applies), from cgroup v2's `cpu.max` or cgroup v1's
    /// `cpu.cfs_quota_us` over `cpu.cfs_period_us`.
    ///
    /// `cgroup` and `mountinfo` are the texts of /proc/self/cgroup and
    /// /proc/self/mountinfo; `read` gives a file's text, or nil.
    static func limitCores(cgroup: String, mountinfo: String, read: (String) -> String?) -> Int? {
        var lowest: Double?
        for mount in cgroupMounts(mountinfo: mountinfo) {
            // The process's group in this hierarchy: "0::/path" for v2, a line
            // naming the cpu controller for v1.
            let path = cgroup.split(separator: "\n").lazy.compactMap { line -> Substring? in
                let fields = line.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
                guard fields.count == 3 else { return nil }
                let matches = mount.isVersion2 ? fields[0] == "0" && fields[1].isEmpty : fields[1].split(separator: ",").contains("cpu")
                return matches ? fields[2] : nil
            }.first
            guard let path else { continue }
            // The group's folder under the mount point (the mount may show a part of
            // the hierarchy only, from `root` down, as in a container).
            var relative = String(path)
            if mount.root != "/" {
                relative = relative.hasPrefix(mount.root + "/") ? String(relative.dropFirst(mount.root.count)) : ""
            }
            var parts = relative.split(separator: "/").map(String.init)
            while true {
                let folder = ([mount.point] + parts).joined(separator: "/")
                if let limit = mount.isVersion2 ? cpuMax(read(folder + "/cpu.max"))
                    : cfsQuota(read(folder + "/cpu.cfs_quota_us"), period: read(folder + "/cpu.cfs_period_us"))
                {
                    lowest = min(lowest ?? limit, limit)
                }
                guard !parts.isEmpty else { break }
                parts.removeLast()
            }
        }
        return lowest.map { max(1, Int(($0 - 1e-9).rounded(.up))) }
    }

    /// The cgroup file systems mounted (from /proc/self/mountinfo): cgroup2, and
    /// cgroup v1 hierarchies that hold the cpu controller.
    static func cgroupMounts(mountinfo: String) -> [(root: String, point: String, isVersion2: Bool)] {
        mountinfo.split(separator: "\n").compactMap { line in
            // "36 25 0:30 /root /mount/point options optional... - fstype source super,options"
            let halves = line.split(separator: " - ", maxSplits: 1)
            guard halves.count == 2 else { return nil }
            let before = halves[0].split(separator: " ")
            let after = halves[1].split(separator: " ")
            guard before.count >= 5, after.count >= 3 else { return nil }
            let root = unescape(before[3])
            let point = unescape(before[4])
            switch after[0] {
            case "cgroup2": return (root, point, true)
            case "cgroup" where after[2].split(separator: ",").contains("cpu"): return (root, point, false)
            default: return nil
            }
        }
    }

    /// A mountinfo field with its octal escapes (`\040` for a space) decoded.
    private static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        let utf8 = Array(field.utf8)
        var index = 0
        while index < utf8.count {
            if utf8[index] == UInt8(ascii: "\\"), index + 3 < utf8.count,
               let value = UInt8(String(decoding: utf8[index + 1...index + 3], as: UTF8.self), radix: 8)
            {
                bytes.append(value)
                index += 4
            } else {
                bytes.append(utf8[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A cgroup v2 `cpu.max` ("150000 100000": 1.5 cores; "max 100000": no limit).
    static func cpuMax(_ text: String?) -> Double? {
        guard let fields = text?.split(whereSeparator: \.isWhitespace), fields.count == 2,
              let quota = Double(fields[0]), let period = Double(fields[1]), quota > 0, period > 0
        else { return nil }
        return quota / period
    }

    /// A cgroup v1 quota and period in microseconds (a quota of -1: no limit).
    static func cfsQuota(_ quota: String?, period: String?) -> Double? {
        guard let quota = quota.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
              let period = period.flatMap({ Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }),
              quota > 0, period > 0
        else { return nil }
        return quota / period
    }
}
