import Foundation

/// A block document's description names its members but never shows its data: a document read
/// with `include_secrets` holds credentials, and descriptions end up in logs.
extension BlockDocument: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        let keys = data.keys.sorted().joined(separator: ", ")
        return "BlockDocument(id: \(id.uuidString.lowercased()), name: \(name ?? "nil"), blockType: \(blockTypeName ?? blockType?.slug ?? "nil"), "
            + "data: [\(keys)] (values redacted))"
    }

    public var debugDescription: String { description }
}

/// As ``BlockDocument``'s: the data's member names only.
extension BlockDocumentCreate: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "BlockDocumentCreate(name: \(name ?? "nil"), data: [\(data.keys.sorted().joined(separator: ", "))] (values redacted))"
    }

    public var debugDescription: String { description }
}

/// As ``BlockDocument``'s: the data's member names only.
extension BlockDocumentUpdate: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String {
        "BlockDocumentUpdate(data: [\((data ?? [:]).keys.sorted().joined(separator: ", "))] (values redacted))"
    }

    public var debugDescription: String { description }
}
