import Foundation
import HTTPTypes

extension PrefectClient {
    /// Creates a variable (`POST /variables/`).
    ///
    /// - Throws: ``ObjectAlreadyExists`` when the name is taken.
    public func createVariable(_ variable: VariableCreate) async throws -> Variable {
        try await request(.post, "/variables/", json: variable, errors: .conflict).decode(Variable.self)
    }

    /// The variable `name`, or `nil` when there is none (`GET /variables/name/{name}`).
    public func readVariableByName(_ name: String) async throws -> Variable? {
        do {
            return try await request(.get, "/variables/name/\(Self.segment(name))", errors: .notFound)
                .decode(Variable.self)
        } catch is ObjectNotFound {
            return nil
        }
    }

    /// Variables, at most `limit` (`POST /variables/filter`).
    public func readVariables(limit: Int? = nil) async throws -> [Variable] {
        try await request(.post, "/variables/filter", json: FilterRequest(limit: limit)).decode([Variable].self)
    }

    /// Changes the fields set in `variable`, found by its name (`PATCH /variables/name/{name}`).
    ///
    /// - Throws: ``PrefectArgumentError`` without a name; ``ObjectNotFound``.
    public func updateVariable(_ variable: VariableUpdate) async throws {
        guard let name = variable.name else {
            throw PrefectArgumentError(argument: "variable.name", message: "the variable to update is found by its name")
        }
        _ = try await request(.patch, "/variables/name/\(Self.segment(name))", json: variable, errors: .notFound)
    }

    /// `DELETE /variables/name/{name}`.
    ///
    /// - Throws: ``ObjectNotFound`` when there is no such variable.
    public func deleteVariableByName(_ name: String) async throws {
        _ = try await request(.delete, "/variables/name/\(Self.segment(name))", errors: .notFound)
    }
}
