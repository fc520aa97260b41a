import Foundation
import Testing
@testable import PrefectSchemas

/// `UUID.version4()`: RFC 9562 version 4 ids from the kernel's random bytes, each byte handed
/// out once, also from many tasks at once; `KernelRandomGenerator` over the same bytes.
@Suite("Random UUIDs")
struct RandomUUIDTests {
    @Test("every id has version 4 and the RFC variant, and none repeats across refills and tasks")
    func versionVariantAndUniqueness() async {
        let ids = await withTaskGroup(of: [UUID].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<1_000).map { _ in UUID.version4() } }
            }
            var all: [UUID] = []
            for await some in group { all += some }
            return all
        }
        #expect(ids.count == 8_000)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.uuid.6 >> 4 == 4)
            #expect(id.uuid.8 >> 6 == 0b10)
        }
        // Foundation parses the text back to the same id, with a 4 where the version goes.
        let text = ids[0].prefectString
        #expect(UUID(uuidString: text) == ids[0])
        #expect(Array(text)[14] == "4")
    }

    @Test("the random bits are not constant: each of the 122 positions takes both values")
    func bitsVary() {
        var ones = [Int](repeating: 0, count: 128)
        let count = 2_000
        for _ in 0..<count {
            withUnsafeBytes(of: UUID.version4().uuid) { raw in
                for bit in 0..<128 where raw[bit / 8] & (0x80 >> UInt8(bit % 8)) != 0 { ones[bit] += 1 }
            }
        }
        let fixed: Set<Int> = [48, 49, 50, 51, 64, 65]
        for bit in 0..<128 where !fixed.contains(bit) {
            #expect(ones[bit] > count / 4 && ones[bit] < count * 3 / 4, "bit \(bit): \(ones[bit]) of \(count)")
        }
    }

    @Test("the generator over the same bytes gives numbers that differ and cover a range evenly")
    func generator() {
        var generator = KernelRandomGenerator()
        let numbers = (0..<4_000).map { _ in generator.next() }
        #expect(Set(numbers).count == numbers.count)
        var buckets = [Int](repeating: 0, count: 4)
        for _ in 0..<4_000 { buckets[Int.random(in: 0..<4, using: &generator)] += 1 }
        #expect(buckets.allSatisfy { $0 > 800 && $0 < 1_200 }, "\(buckets)")
    }
}
