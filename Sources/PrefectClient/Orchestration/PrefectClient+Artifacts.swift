public import Foundation
import HTTPTypes

/// Artifacts (Prefect's `ArtifactAsyncClient` and `ArtifactCollectionAsyncClient`,
/// `prefect/client/orchestration/_artifacts/client.py`).
extension PrefectClient {
    /// Creates an artifact (`POST /artifacts/`); one with a key becomes that key's latest.
    public func createArtifact(_ artifact: ArtifactCreate) async throws -> Artifact {
        try await request(.post, "/artifacts/", json: artifact).decode(Artifact.self)
    }

    /// Artifacts matching the filters, every version of each key (`POST /artifacts/filter`).
    public func readArtifacts(
        artifactFilter: ArtifactFilter? = nil, flowRunFilter: FlowRunFilter? = nil, taskRunFilter: TaskRunFilter? = nil,
        sort: ArtifactSort? = nil, limit: Int? = nil, offset: Int = 0
    ) async throws -> [Artifact] {
        let body = ArtifactQuery(
            artifacts: artifactFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/artifacts/filter", json: body).decode([Artifact].self)
    }

    /// The latest artifact of each key matching the filters (`POST /artifacts/latest/filter`).
    public func readLatestArtifacts(
        artifactFilter: ArtifactCollectionFilter? = nil, flowRunFilter: FlowRunFilter? = nil, taskRunFilter: TaskRunFilter? = nil,
        sort: ArtifactCollectionSort? = nil, limit: Int? = nil, offset: Int = 0
    ) async throws -> [ArtifactCollection] {
        let body = ArtifactQuery(
            artifacts: artifactFilter, flowRuns: flowRunFilter, taskRuns: taskRunFilter, sort: sort?.rawValue, limit: limit, offset: offset)
        return try await request(.post, "/artifacts/latest/filter", json: body).decode([ArtifactCollection].self)
    }

    /// Changes the members `artifact` sets (`PATCH /artifacts/{id}`); the key's latest follows
    /// when this artifact is it.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such artifact.
    public func updateArtifact(artifactID: UUID, _ artifact: ArtifactUpdate) async throws {
        _ = try await request(.patch, "/artifacts/\(Self.segment(artifactID))", json: artifact, errors: .notFound)
    }

    /// `DELETE /artifacts/{id}`; when it was its key's latest, the previous version becomes it.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such artifact.
    public func deleteArtifact(artifactID: UUID) async throws {
        _ = try await request(.delete, "/artifacts/\(Self.segment(artifactID))", errors: .notFound)
    }
}

/// The body of `/artifacts/filter` and `/artifacts/latest/filter`.
private struct ArtifactQuery<Filter: Encodable>: Encodable {
    var artifacts: Filter?
    var flowRuns: FlowRunFilter?
    var taskRuns: TaskRunFilter?
    var sort: String?
    var limit: Int?
    var offset: Int

    enum CodingKeys: String, CodingKey {
        case artifacts, sort, limit, offset
        case flowRuns = "flow_runs"
        case taskRuns = "task_runs"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(artifacts, forKey: .artifacts)
        try container.encodeIfPresent(flowRuns, forKey: .flowRuns)
        try container.encodeIfPresent(taskRuns, forKey: .taskRuns)
        try container.encodeIfPresent(sort, forKey: .sort)
        try container.encodeIfPresent(limit, forKey: .limit)
        try container.encode(offset, forKey: .offset)
    }
}
