import Foundation

// Written by hand, as the types' own `encode(to:)` (`Event.swift`), for the events the server
// stores with every run transition: the same members in the same order, checked byte for
// byte against `encode(to:)` by `StreamEncodingTests`.

extension EventResource: StreamEncodable {
    func encode(stream: inout StreamObjectWriter) throws {
        for (name, value) in orderedLabels { stream.encode(value, name: name) }
    }
}

extension Event: StreamEncodable {
    func encode(stream: inout StreamObjectWriter) throws {
        try stream.encode(PrefectDate.format(occurred), "occurred")
        try stream.encode(event, "event")
        try stream.encode(resource, "resource")
        try stream.encode(related, "related")
        try stream.encode(payload, "payload")
        try stream.encode(id.prefectString, "id")
        try stream.encode(follows?.prefectString, "follows")
    }
}

extension ReceivedEvent: StreamEncodable {
    func encode(stream: inout StreamObjectWriter) throws {
        try event.encode(stream: &stream)
        try stream.encode(PrefectDate.format(received), "received")
    }
}
