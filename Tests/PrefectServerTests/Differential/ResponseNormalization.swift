import Foundation
import PrefectSchemas

/// What the differential tests take out of an answer before comparing Prefect 3.9.1's with the
/// embedded server's: only what is random or what no client can observe. This is the one
/// place those rules live; everything else in a body is compared, every member and every
/// element.
///
/// 1. **Ids.** Every UUID, as a value or inside a string, becomes `<id:N>`, numbered by first
///    appearance over a scenario's answers (objects walked in sorted member order), so an
///    answer that names the wrong run still differs.
/// 2. **Times near now.** A date-time within 400 days of the side's clock (the recording's
///    time for Prefect, the replay's for ours) becomes `<time>`; any other is written as its
///    UTC instant (`2020-01-01T00:00:00Z` and `…+00:00` are one instant). A date-time inside
///    a longer string is treated the same way.
/// 3. **Durations that run with the clock** (`estimated_run_time`, `estimated_start_time_delta`,
///    `total_run_time`, `time_in_current_state`, `delay_seconds`, `avg_slot_occupancy_seconds`,
///    `seconds_since_last_heartbeat`, and what the UI's routes make of them: `duration`,
///    `lateness`, `sum_estimated_run_time`, `sum_estimated_lateness`, and the whole answer of
///    `/flow_runs/lateness`) keep only their sign: `0`, `<positive>` or `<negative>`.
/// 4. **Generated names and tokens.** The scenario's unique name part becomes `<unique>`; a
///    `name` or `flow_run_name` of two lower-case words joined by a hyphen (Prefect's
///    `adjective-animal`) becomes `<generated-name>`; a CSRF `token` becomes `<token>`.
/// 5. **Number formatting.** A whole number written `3600.0` is the number `3600`.
/// 6. **Member order of the API's own objects** is not compared (their members are sorted);
///    the order of users' data — the members under ``userDataMembers`` — is compared, as
///    Prefect keeps it.
/// 7. **Sets Prefect orders at random.** The `tags` of a run made from a deployment are the
///    union of two Python sets (`set(deployment.tags).union(tags)`), and `GET
///    /block_capabilities/` lists a set; their order changes from process to process: they are
///    compared sorted. So are the `updated_fields` and `updates` of a `prefect.deployment.updated`
///    event, which Prefect lists in the order of a set of field names
///    (`DEPLOYMENT_EVENT_FIELDS`); the other `updated` events list them in the request's order.
/// 8. **Links to the server itself.** An events page's `next_page` is a URL of the server that
///    answered (its host and port) with an opaque page token: only whether there is one is
///    compared.
/// 9. **pydantic's `url`** in a 422's error entries names pydantic's documentation version.
/// 10. **Ids as member names** (the UI's counts by flow or flow run id) are numbered as ids in
///    values are, in the order the members are written, before the members are sorted.
struct ResponseNormalizer {
    /// The members whose values are users' data, compared in their order.
    static let userDataMembers: Set<String> = [
        "parameters", "job_variables", "context", "value", "data", "base_job_template", "parameter_openapi_schema",
        "pull_steps", "metadata_", "payload", "input", "request_body", "schema", "fields", "default",
    ]

    static let clockDurations: Set<String> = [
        "estimated_run_time", "estimated_start_time_delta", "total_run_time", "time_in_current_state", "delay_seconds",
        "avg_slot_occupancy_seconds", "seconds_since_last_heartbeat", "duration", "lateness", "sum_estimated_run_time",
        "sum_estimated_lateness",
    ]

    /// The window around the side's clock within which a date-time is "now".
    static let nearNow: TimeInterval = 400 * 86_400

    let unique: String
    let now: Date
    private var ids: [String: Int] = [:]

    init(unique: String, now: Date) {
        self.unique = unique
        self.now = now
    }

    /// The normal form of one answer's body to a request for `path` (the ids numbered on from
    /// earlier answers).
    mutating func normalize(_ body: OrderedJSON, path: String = "") -> OrderedJSON {
        if path.hasPrefix("/flow_runs/lateness") {
            switch body {
            case .double(let number): return Self.sign(number)
            case .int(let number): return Self.sign(Double(number))
            default: break
            }
        }
        let normal = normalize(body, member: nil, userData: false)
        if path.hasPrefix("/block_capabilities"), case .array(let items) = normal {
            return .array(items.sorted { $0.text < $1.text })
        }
        return normal
    }

    private mutating func normalize(_ value: OrderedJSON, member: String?, userData: Bool) -> OrderedJSON {
        switch value {
        case .object(let members):
            var kept = members
            if !userData {
                kept = kept.map { key, item in
                    UUIDText.parse(key) == nil || key.count != 36 ? (key, item) : (normalize(text: key), item)
                }
                kept.sort { $0.0 < $1.0 }
                kept.removeAll { $0.0 == "url" && value["loc"] != nil && value["msg"] != nil }
            }
            let fromDeployment = value["deployment_id"].map { $0 != .null } ?? false
            var out: [(String, OrderedJSON)] = []
            for (key, item) in kept {
                var normal = normalize(item, member: key, userData: userData || Self.userDataMembers.contains(key))
                if !userData, key == "tags", fromDeployment, case .array(let tags) = normal {
                    normal = .array(tags.sorted { $0.text < $1.text })
                }
                out.append((key, normal))
            }
            if !userData, value["event"] == .string("prefect.deployment.updated") {
                out = out.map { key, item in key == "payload" ? (key, Self.sortingChangedFields(item)) : (key, item) }
            }
            return .object(out)
        case .array(let items):
            return .array(items.map { normalize($0, member: member, userData: userData) })
        case .double(let number) where !userData && member.map(Self.clockDurations.contains) == true:
            return Self.sign(number)
        case .int(let number) where !userData && member.map(Self.clockDurations.contains) == true:
            return Self.sign(Double(number))
        case .double(let number) where number.rounded() == number && abs(number) < 1e15:
            return .int(Int64(number))
        case .string(let text):
            if !userData, member == "token" { return .string("<token>") }
            if !userData, member == "next_page" { return .string("<next-page>") }
            let normal = normalize(text: text)
            if !userData, member == "name" || member == "flow_run_name",
               normal.wholeMatch(of: /[a-z]+-[a-z]+/) != nil {
                return .string("<generated-name>")
            }
            return .string(normal)
        default:
            return value
        }
    }

    /// An `updated` event's payload with `updated_fields` sorted and `updates` in member order.
    private static func sortingChangedFields(_ payload: OrderedJSON) -> OrderedJSON {
        guard case .object(let members) = payload else { return payload }
        return .object(members.map { key, item in
            switch (key, item) {
            case ("updated_fields", .array(let fields)): (key, .array(fields.sorted { $0.text < $1.text }))
            case ("updates", .object(let updates)): (key, .object(updates.sorted { $0.0 < $1.0 }))
            default: (key, item)
            }
        })
    }

    private static func sign(_ number: Double) -> OrderedJSON {
        number == 0 ? .int(0) : .string(number > 0 ? "<positive>" : "<negative>")
    }

    private mutating func normalize(text: String) -> String {
        var out = text
        if !unique.isEmpty { out = out.replacingOccurrences(of: unique, with: "<unique>") }
        out = out.replacing(/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/) { match in
            let id = match.output.lowercased()
            if let number = ids[id] { return "<id:\(number)>" }
            ids[id] = ids.count + 1
            return "<id:\(ids.count)>"
        }
        out = out.replacing(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/) { match in
            let written = String(match.output.0)
            guard let instant = PrefectDate.parse(written.replacingOccurrences(of: " ", with: "T")) else { return written }
            if abs(instant.timeIntervalSince(now)) < Self.nearNow { return "<time>" }
            return PrefectDate.format(instant)
        }
        return out
    }
}

/// Where two normal forms differ, as `path: ours ≠ Prefect's` lines (at most `limit`).
func differences(_ ours: OrderedJSON, _ prefect: OrderedJSON, at path: String = "$", limit: Int = 12) -> [String] {
    var out: [String] = []
    func walk(_ a: OrderedJSON, _ b: OrderedJSON, _ path: String) {
        guard out.count < limit, a != b else { return }
        switch (a, b) {
        case (.object(let x), .object(let y)):
            let xKeys = x.map(\.0), yKeys = y.map(\.0)
            if Set(xKeys) == Set(yKeys), xKeys != yKeys {
                out.append("\(path): member order \(xKeys) ≠ \(yKeys)")
                return
            }
            for key in Set(xKeys).union(yKeys).sorted() {
                switch (a[key], b[key]) {
                case (let p?, let q?): walk(p, q, "\(path).\(key)")
                case (let p?, nil): out.append("\(path).\(key): \(p.text.prefix(200)) ≠ (absent)")
                case (nil, let q?): out.append("\(path).\(key): (absent) ≠ \(q.text.prefix(200))")
                default: break
                }
            }
        case (.array(let x), .array(let y)) where x.count == y.count:
            for (index, pair) in zip(x, y).enumerated() { walk(pair.0, pair.1, "\(path)[\(index)]") }
        default:
            out.append("\(path): \(a.text.prefix(300)) ≠ \(b.text.prefix(300))")
        }
    }
    walk(ours, prefect, path)
    return out
}
