/// Interim stand-in: splits at . ! ? followed by space and an uppercase letter, and at blank lines.
public struct SentenceSplitter: Sendable {
    public init(rules: SentenceRules) {}

    public func split(_ text: [UInt8]) -> [Range<Int>] {
        text.withUnsafeBufferPointer { split($0) }
    }

    public func split(_ text: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var result: [Range<Int>] = []
        var start = 0
        var index = 0
        func push(_ end: Int) {
            var s = start
            var e = end
            while s < e, text[s] == 0x20 || text[s] == 0x0A || text[s] == 0x0D || text[s] == 0x09 { s += 1 }
            while e > s, text[e - 1] == 0x20 || text[e - 1] == 0x0A || text[e - 1] == 0x0D || text[e - 1] == 0x09 { e -= 1 }
            if s < e { result.append(s..<e) }
        }
        while index < text.count {
            let b = text[index]
            if b == 0x0A, index + 1 < text.count, text[index + 1] == 0x0A || text[index + 1] == 0x0D {
                push(index); start = index + 1
            } else if (b == 0x2E || b == 0x21 || b == 0x3F), index + 2 < text.count, text[index + 1] == 0x20,
                      text[index + 2] >= 0x41 && text[index + 2] <= 0x5A || text[index + 2] == 0x22
            {
                push(index + 1); start = index + 1
            }
            index += 1
        }
        push(text.count)
        return result
    }
}
