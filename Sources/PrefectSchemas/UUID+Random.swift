public import Foundation

extension UUID {
    /// A random UUID (version 4), as Python's `uuid4()` gives Prefect its ids, from the
    /// kernel's random bytes taken 256 at a time (16 ids per system call).
    ///
    /// Foundation's `UUID()` on Linux opens, reads and closes `/dev/urandom` for every id: three
    /// system calls, about a dozen per flow-run create counting the states and events it makes.
    /// The bytes here come from the same generator (`getentropy`), each handed out once.
    public static func version4() -> UUID {
        let (high, low) = KernelRandomBytes.shared.next128()
        var bytes = (high.bigEndian, low.bigEndian)
        return withUnsafeMutableBytes(of: &bytes) { raw in
            raw[6] = 0x40 | (raw[6] & 0x0F)
            raw[8] = 0x80 | (raw[8] & 0x3F)
            return UUID(uuid: raw.load(as: uuid_t.self))
        }
    }
}
