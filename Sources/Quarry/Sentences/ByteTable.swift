/// A set of byte strings, each with a small flag set, looked up without allocating.
///
/// The splitter asks it about the word before every period, so a lookup takes a
/// pointer and a count instead of building an `Array` or a `String`. Open addressing
/// with linear probing over a power-of-two slot array; keys live in one byte pool.
struct ByteTable: Sendable {
    private var pool: [UInt8] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var keyFlags: [UInt8] = []
    /// Indexes into the key arrays, or -1 for an empty slot.
    private var slots: [Int32] = Array(repeating: -1, count: 16)

    /// The length in bytes of the longest key, so callers can bound their scans.
    private(set) var maxKeyLength = 0

    /// Adds `flags` to the key's flags, inserting the key when it is new.
    mutating func insert(_ key: [UInt8], flags: UInt8) {
        if let index = find(key) {
            keyFlags[index] |= flags
            return
        }
        if (keyStart.count + 1) * 2 > slots.count { grow() }
        keyStart.append(Int32(pool.count))
        keyLength.append(Int32(key.count))
        keyFlags.append(flags)
        pool.append(contentsOf: key)
        maxKeyLength = max(maxKeyLength, key.count)
        place(keyStart.count - 1, hash: Self.hash(key))
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
            let index = Int(slots[slot])
            if index < 0 { return 0 }
            if Int(keyLength[index]) == count && equals(index, key) { return keyFlags[index] }
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

    private func find(_ key: [UInt8]) -> Int? {
        let mask = slots.count - 1
        var slot = Int(Self.hash(key)) & mask
        while true {
            let index = Int(slots[slot])
            if index < 0 { return nil }
            if Int(keyLength[index]) == key.count && key.withUnsafeBufferPointer({ equals(index, $0) }) {
                return index
            }
            slot = (slot + 1) & mask
        }
    }

    private func equals(_ index: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = Int(keyStart[index])
        for offset in 0..<key.count where pool[start + offset] != key[offset] { return false }
        return true
    }

    private mutating func grow() {
        slots = Array(repeating: -1, count: slots.count * 2)
        for index in keyStart.indices {
            let start = Int(keyStart[index])
            let key = pool[start..<start + Int(keyLength[index])]
            place(index, hash: Self.hash(key))
        }
    }

    private mutating func place(_ index: Int, hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index)
    }

    /// FNV-1a: keys are a few bytes long, so a simple byte-at-a-time hash is enough.
    private static func hash<C: Collection<UInt8>>(_ key: C) -> UInt32 {
        var hash: UInt32 = 2_166_136_261
        for byte in key {
            hash = (hash ^ UInt32(byte)) &* 16_777_619
        }
        return hash
    }
}
