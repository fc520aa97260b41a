public import Foundation

/// Prefect's typed artifacts (`prefect/artifacts.py`: `create_markdown_artifact`,
/// `create_table_artifact`, `create_link_artifact`, `create_progress_artifact`,
/// `update_progress_artifact`, `create_image_artifact`), each formatted as Prefect formats its
/// data. The run ids say which flow run and task run the artifact belongs to; inside a Swift
/// flow or task, `RunContext` has them.
extension PrefectClient {
    /// A `markdown` artifact; its id.
    public func createMarkdownArtifact(
        _ markdown: String, key: String? = nil, description: String? = nil, flowRunID: UUID? = nil, taskRunID: UUID? = nil
    ) async throws -> UUID {
        try await createArtifact(ArtifactCreate(
            key: key, type: "markdown", description: description, data: .string(markdown), flowRunID: flowRunID, taskRunID: taskRunID)).id
    }

    /// A `table` artifact: rows of named cells, or named columns of cells, sent as JSON text with
    /// NaN cells as null (Prefect's `TableArtifact._sanitize`); its id.
    public func createTableArtifact(
        _ table: JSONValue, key: String? = nil, description: String? = nil, flowRunID: UUID? = nil, taskRunID: UUID? = nil
    ) async throws -> UUID {
        let text = String(decoding: try PrefectJSON.encode(Self.sanitized(table)), as: UTF8.self)
        return try await createArtifact(ArtifactCreate(
            key: key, type: "table", description: description, data: .string(text), flowRunID: flowRunID, taskRunID: taskRunID)).id
    }

    /// A link, as a `markdown` artifact `[text](link)` (the link itself when there is no text); its id.
    public func createLinkArtifact(
        _ link: String, linkText: String? = nil, key: String? = nil, description: String? = nil, flowRunID: UUID? = nil,
        taskRunID: UUID? = nil
    ) async throws -> UUID {
        let markdown = "[\(linkText.flatMap { $0.isEmpty ? nil : $0 } ?? link)](\(link))"
        return try await createMarkdownArtifact(markdown, key: key, description: description, flowRunID: flowRunID, taskRunID: taskRunID)
    }

    /// A `progress` artifact in percent, kept within 0…100; its id.
    public func createProgressArtifact(
        _ progress: Double, key: String? = nil, description: String? = nil, flowRunID: UUID? = nil, taskRunID: UUID? = nil
    ) async throws -> UUID {
        try await createArtifact(ArtifactCreate(
            key: key, type: "progress", description: description, data: .double(Self.clampedProgress(progress)),
            flowRunID: flowRunID, taskRunID: taskRunID)).id
    }

    /// Sets a progress artifact's percent (kept within 0…100), and its description when given.
    public func updateProgressArtifact(artifactID: UUID, progress: Double, description: String? = nil) async throws {
        try await updateArtifact(artifactID: artifactID, ArtifactUpdate(data: .double(Self.clampedProgress(progress)), description: description))
    }

    /// An `image` artifact showing the image at `imageURL`; its id.
    public func createImageArtifact(
        _ imageURL: String, key: String? = nil, description: String? = nil, flowRunID: UUID? = nil, taskRunID: UUID? = nil
    ) async throws -> UUID {
        try await createArtifact(ArtifactCreate(
            key: key, type: "image", description: description, data: .string(imageURL), flowRunID: flowRunID, taskRunID: taskRunID)).id
    }

    private static func clampedProgress(_ progress: Double) -> Double {
        min(max(progress, 0), 100)
    }

    private static func sanitized(_ value: JSONValue) -> JSONValue {
        switch value {
        case .double(let number) where number.isNaN: .null
        case .array(let items): .array(items.map(sanitized))
        case .object(let members): .object(members.mapValues(sanitized))
        default: value
        }
    }
}
