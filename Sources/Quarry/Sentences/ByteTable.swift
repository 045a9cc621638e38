/// A set of byte strings, each with a small flag set, looked up without allocating.
///
/// The splitter asks it about the word before every period, so a lookup takes a
/// pointer and a count instead of building an `Array` or a `String`. Open addressing
/// with linear probing over a power-of-two slot array; keys live in one byte pool.
///
/// A slot holds its whole entry in one word (where the key starts in the pool, its
/// length and its flags), so the table is two arrays: a lookup reads no other array
/// before the key's bytes, and copying the table (every split copies its rules)
/// retains two references, not five.
struct ByteTable: Sendable {
    private var pool: [UInt8] = []
    /// Entries packed by `entry(start:length:flags:)`, or 0 for an empty slot.
    private var slots: [UInt64] = Array(repeating: 0, count: 16)
    private var keyCount = 0

    /// The length in bytes of the longest key, so callers can bound their scans.
    private(set) var maxKeyLength = 0

    /// Adds `flags` to the key's flags, inserting the key when it is new.
    ///
    /// A key is not empty and shorter than 16 MiB: its length is stored in 24 bits,
    /// and a length of 0 marks an empty slot.
    mutating func insert(_ key: [UInt8], flags: UInt8) {
        precondition(!key.isEmpty && key.count < 1 << 24, "ByteTable key of \(key.count) bytes")
        if let slot = find(key) {
            slots[slot] |= UInt64(flags)
            return
        }
        if (keyCount + 1) * 2 > slots.count { grow() }
        let entry = Self.entry(start: pool.count, length: key.count, flags: flags)
        pool.append(contentsOf: key)
        keyCount += 1
        maxKeyLength = max(maxKeyLength, key.count)
        place(entry, hash: Self.hash(key))
    }

    /// The flags of the key `base[0..<count]`, or 0 when it is absent.
    ///
    /// - Complexity: O(`count`) expected.
    func flags(_ base: UnsafePointer<UInt8>, count: Int) -> UInt8 {
        if count == 0 || count > maxKeyLength { return 0 }
        let key = UnsafeBufferPointer(start: base, count: count)
        let mask = slots.count - 1
        var slot = Int(Self.hash(key)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return 0 }
            if Self.length(entry) == count && equals(entry, key) { return UInt8(truncatingIfNeeded: entry) }
            slot = (slot + 1) & mask
        }
    }

    /// The flags of `key`, or 0 when it is absent.
    func flags(_ key: [UInt8]) -> UInt8 {
        key.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return 0 }
            return flags(base, count: buffer.count)
        }
    }

    /// The slot of `key`, or nil when it is absent.
    private func find(_ key: [UInt8]) -> Int? {
        let mask = slots.count - 1
        var slot = Int(Self.hash(key)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return nil }
            if Self.length(entry) == key.count && key.withUnsafeBufferPointer({ equals(entry, $0) }) {
                return slot
            }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ entry: UInt64, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Self.start(entry)
        for offset in 0..<key.count where pool[start + offset] != key[offset] { return false }
        return true
    }

    private mutating func grow() {
        let entries = slots.filter { $0 != 0 }
        slots = Array(repeating: 0, count: slots.count * 2)
        for entry in entries {
            let start = Self.start(entry)
            place(entry, hash: Self.hash(pool[start..<start + Self.length(entry)]))
        }
    }

    private mutating func place(_ entry: UInt64, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = entry
    }

    /// An entry: the key's start in the pool in the high 32 bits, its length in the
    /// next 24, its flags in the low 8.
    private static func entry(start: Int, length: Int, flags: UInt8) -> UInt64 {
        UInt64(UInt32(start)) << 32 | UInt64(length) << 8 | UInt64(flags)
    }

    private static func start(_ entry: UInt64) -> Int { Int(entry >> 32) }
    private static func length(_ entry: UInt64) -> Int { Int(entry >> 8 & 0xFF_FFFF) }

    /// FNV-1a: keys are a few bytes long, so a simple byte-at-a-time hash is enough.
    private static func hash<C: Collection<UInt8>>(_ key: C) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }
}
