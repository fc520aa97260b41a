import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The kernel's random bytes, read 256 at a time (the most `getentropy` gives) and handed out
/// once each.
package final class KernelRandomBytes: Sendable {
    package static let shared = KernelRandomBytes()

    private static let capacity = 256 / MemoryLayout<UInt64>.size

    private struct Buffer {
        var words = [UInt64](repeating: 0, count: KernelRandomBytes.capacity)
        var next = KernelRandomBytes.capacity

        /// Reads new bytes when fewer than `count` words are left.
        mutating func refill(ifFewerThan count: Int) {
            guard next + count > words.count else { return }
            words.withUnsafeMutableBytes(KernelRandomBytes.fill)
            next = 0
        }
    }

    private let buffer = Mutex(Buffer())

    /// The next 16 random bytes, as two words.
    package func next128() -> (UInt64, UInt64) {
        buffer.withLock { buffer in
            buffer.refill(ifFewerThan: 2)
            defer { buffer.next += 2 }
            return (buffer.words[buffer.next], buffer.words[buffer.next + 1])
        }
    }

    /// The next 8 random bytes.
    package func next64() -> UInt64 {
        buffer.withLock { buffer in
            buffer.refill(ifFewerThan: 1)
            defer { buffer.next += 1 }
            return buffer.words[buffer.next]
        }
    }

    /// Fills `bytes` (256 at most) from the kernel (`getentropy`), or from the system generator
    /// where that fails.
    private static func fill(_ bytes: UnsafeMutableRawBufferPointer) {
        #if canImport(Glibc) || canImport(Musl)
        if getentropy(bytes.baseAddress, bytes.count) == 0 { return }
        #endif
        var generator = SystemRandomNumberGenerator()
        for index in stride(from: 0, to: bytes.count - bytes.count % 8, by: 8) {
            bytes.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self)
        }
    }
}

/// A `RandomNumberGenerator` over ``KernelRandomBytes``: the system generator's numbers without a
/// system call for each (`randomElement()` of a run's generated name, on every create).
package struct KernelRandomGenerator: RandomNumberGenerator {
    package init() {}

    package mutating func next() -> UInt64 {
        KernelRandomBytes.shared.next64()
    }
}
