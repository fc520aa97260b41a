/// Default values for some members of a flow's input type: what a Python flow's signature says
/// with `limit: int = 10`.
///
/// A member named here is not required: the parameter schema shows the default (so Prefect's
/// UI fills it in its run form) and leaves the member out of `required`, and a run whose
/// parameters lack the member is decoded with the default in its place.
///
/// ```swift
/// struct Report: Codable, Sendable, ParameterDefaults {
///     var day: String
///     var limit: Int
///     static var parameterDefaults: JSONObject { ["limit": 10] }
/// }
/// ```
///
/// Members read with `decodeIfPresent` (optionals) default to `null` without being named.
public protocol ParameterDefaults {
    /// Each defaulted member's value, as JSON, by its coding key.
    static var parameterDefaults: JSONObject { get }
}
