/// Searches the members of one JSON object on a tape from the member after the last one found,
/// wrapping around once, so keys read in the order they were written cost one comparison each.
/// ``TapeKeyedContainer`` (keys as `String`) and ``TapeObjectReader`` (keys as static bytes)
/// differ only in how a member's name is compared.
struct TapeMemberCursor {
    private let tokens: UnsafeBufferPointer<JSONTape.Token>
    private let object: Int
    private let end: Int
    let memberCount: Int
    /// Token index of the member's name to compare first.
    private var next: Int

    init(tokens: UnsafeBufferPointer<JSONTape.Token>, object: Int) {
        self.tokens = tokens
        self.object = object
        self.end = Int(tokens[object].next)
        self.memberCount = Int(tokens[object].start)
        self.next = object + 1
    }

    /// Token index of the value of the first member, from the cursor on, whose name token
    /// `isKey` accepts; nil when no member's does.
    @inline(__always)
    mutating func find(_ isKey: (JSONTape.Token) -> Bool) -> Int? {
        var member = next
        for _ in 0..<memberCount {
            if member >= end { member = object + 1 }
            let value = member + 1
            let following = Int(tokens[value].next)
            if isKey(tokens[member]) {
                next = following
                return value
            }
            member = following
        }
        return nil
    }
}
