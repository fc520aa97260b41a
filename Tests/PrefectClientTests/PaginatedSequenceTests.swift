import PrefectClient
import Synchronization
import Testing

@Suite("PaginatedSequence")
struct PaginatedSequenceTests {
    @Test("reads pages until a short one, with the right offsets", arguments: [0, 1, 4, 5, 12])
    func pages(total: Int) async throws {
        let calls = Mutex<[(Int, Int)]>([])
        let sequence = PaginatedSequence<Int>(pageSize: 4) { offset, limit in
            calls.withLock { $0.append((offset, limit)) }
            return Array(offset..<min(offset + limit, total))
        }
        var seen: [Int] = []
        for try await value in sequence { seen.append(value) }
        #expect(seen == Array(0..<total))
        let expectedCalls = total / 4 + 1
        #expect(calls.withLock { $0.count } == expectedCalls)
        #expect(calls.withLock { $0.map(\.0) } == (0..<expectedCalls).map { $0 * 4 })
    }

    @Test("stops reading when the consumer stops")
    func lazy() async throws {
        let calls = Mutex(0)
        let sequence = PaginatedSequence<Int>(pageSize: 2) { offset, limit in
            calls.withLock { $0 += 1 }
            return Array(offset..<offset + limit)
        }
        var first: [Int] = []
        for try await value in sequence {
            first.append(value)
            if first.count == 3 { break }
        }
        #expect(first == [0, 1, 2])
        #expect(calls.withLock { $0 } == 2)
    }
}
