import Foundation

/// Where the package lives, found from this file's path (Tests/QuarryTests/Support).
enum Repository {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
        }
        preconditionFailure("no Package.swift above \(#filePath)")
    }()

    static var rules: String { root + "/rules" }
    static var seeds: String { root + "/seeds" }
}

/// A folder made for one test and removed when the test's closure returns.
struct TemporaryDirectory {
    let path: String

    /// Writes `text` to `relative`, creating folders on the way; returns the full path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let full = path + "/" + relative
        let folder = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: full))
        return full
    }

    func makeFolder(_ relative: String) throws {
        try FileManager.default.createDirectory(atPath: path + "/" + relative, withIntermediateDirectories: true)
    }
}

/// Runs `body` with a fresh temporary folder, then removes it.
func withTemporaryDirectory<T>(_ body: (TemporaryDirectory) throws -> T) throws -> T {
    let path = NSTemporaryDirectory().replacingOccurrences(of: "//", with: "/") + "quarry-tests-" + UUID().uuidString
    let trimmed = path.hasSuffix("/") ? String(path.dropLast()) : path
    try FileManager.default.createDirectory(atPath: trimmed, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: trimmed) }
    return try body(TemporaryDirectory(path: trimmed))
}
