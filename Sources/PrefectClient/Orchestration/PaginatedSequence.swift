/// Every result of a listing endpoint, read page by page with `limit` and `offset` as the
/// caller iterates.
///
/// ```swift
/// for try await run in client.allFlowRuns(flowRunFilter: filter) { … }
/// ```
///
/// A page shorter than the page size ends the sequence. Pages are read one at a time, only
/// when the previous one is used up; cancelling the iterating task stops it.
public struct PaginatedSequence<Element: Sendable>: AsyncSequence, Sendable {
    /// Reads one page: `(offset, limit) → elements`.
    public typealias PageReader = @Sendable (_ offset: Int, _ limit: Int) async throws -> [Element]

    let pageSize: Int
    let readPage: PageReader

    /// - Parameters:
    ///   - pageSize: elements per request (at least 1).
    ///   - readPage: reads one page.
    public init(pageSize: Int = 200, readPage: @escaping PageReader) {
        self.pageSize = Swift.max(1, pageSize)
        self.readPage = readPage
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(pageSize: pageSize, readPage: readPage)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let pageSize: Int
        let readPage: PageReader
        var buffer: [Element] = []
        var position = 0
        var offset = 0
        var finished = false

        public mutating func next() async throws -> Element? {
            if position == buffer.count {
                guard !finished else { return nil }
                try Task.checkCancellation()
                buffer = try await readPage(offset, pageSize)
                position = 0
                offset += buffer.count
                finished = buffer.count < pageSize
                guard !buffer.isEmpty else { return nil }
            }
            defer { position += 1 }
            return buffer[position]
        }
    }
}
