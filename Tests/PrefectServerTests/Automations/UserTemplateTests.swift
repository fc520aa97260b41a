import Foundation
import PrefectSchemas
@testable import PrefectServer
import Testing

/// The Jinja of automation actions, against what Prefect 3.9.1's `render_user_template`
/// renders for the same template and context (each expected string was rendered by it).
@Suite("Automations: action templates")
struct UserTemplateTests {
    let context: JSONObject = [
        "event": TemplateMarks.model([
            "occurred": "2026-12-06T04:49:26.186650Z", "event": "custom.ping",
            "resource": ["prefect.resource.id": "svc.a", "prefect.resource.name": "n"], "related": [],
            "payload": ["b": 1, "a": "x", "n": 3, "items": [1, 2.5, "a", .null, true]],
        ]),
        "flow_run": TemplateMarks.model(["id": "r1", "name": "run", "state": ["type": "COMPLETED", "name": "Completed"]]),
        "labels": ["prefect.resource.id": "svc.a", "prefect": ["resource": ["id": "svc.a"]]],
    ]

    func render(_ template: String) throws -> String {
        try UserTemplate.render(template, context: context, filters: TemplateFilters(uiURL: nil))
    }

    @Test("values render as Python's str() renders them")
    func values() throws {
        #expect(try render("{{ event.occurred }}") == "2026-12-06 04:49:26.186650+00:00")
        #expect(try render("{{ flow_run.state.type }}") == "StateType.COMPLETED")
        #expect(try render("{{ event.payload }}") == "{'b': 1, 'a': 'x', 'n': 3, 'items': [1, 2.5, 'a', None, True]}")
        #expect(try render("{{ event.payload['items'] }}") == "[1, 2.5, 'a', None, True]")
        #expect(try render("{{ event.resource.id }}|{{ event.resource.name }}|{{ x.y.z }}|") == "svc.a|n||")
        #expect(try render("no template") == "no template")
    }

    @Test("tojson sorts keys, keeps JSON's values and escapes HTML")
    func tojson() throws {
        #expect(try render("{{ event.payload | tojson }}") == #"{"a": "x", "b": 1, "items": [1, 2.5, "a", null, true], "n": 3}"#)
        #expect(try render("{{ '<a&b>' | tojson }}") == #""\u003ca\u0026b\u003e""#)
        #expect(try render("{{ flow_run.state.type | tojson }}") == #""COMPLETED""#)
    }

    @Test("conditions, loops, filters and operators")
    func control() throws {
        #expect(try render("{% if event.payload.n > 2 %}big{% else %}small{% endif %}") == "big")
        #expect(try render("{% if flow_run.state.type == 'COMPLETED' and not missing %}done{% endif %}") == "done")
        #expect(try render("{% for i in event.payload['items'] %}{{ loop.index }}:{{ i }}{% if not loop.last %},{% endif %}{% endfor %}")
            == "1:1,2:2.5,3:a,4:None,5:True")
        #expect(try render("{{ event.event | upper }} {{ missing | default('d') }} {{ event.payload['items'] | length }}") == "CUSTOM.PING d 5")
        #expect(try render("{{ labels['prefect.resource.id'] }} {{ labels.prefect.resource.id }}") == "svc.a svc.a")
        #expect(try render("{{ event.payload.n * 2 + 1 }} {{ 7 / 2 }} {{ 7 // 2 }} {{ 'a' ~ 1 }}") == "7 3.5 3 a1")
        #expect(try render("  {%- if true -%}  x  {%- endif -%}  ") == "x")
        #expect(try render("{{ 'yes' if event.payload.n is defined else 'no' }}") == "yes")
    }

    @Test("Prefect's filters without a UI address render None")
    func prefectFilters() throws {
        #expect(try render("{{ flow_run | ui_url }}") == "None")
        var filters = TemplateFilters(uiURL: "http://ui.local")
        filters.kinds["r1"] = "flow-run"
        #expect(try UserTemplate.render("{{ flow_run | ui_url }}", context: context, filters: filters) == "http://ui.local/runs/flow-run/r1")
        #expect(try UserTemplate.render("{{ event.resource | ui_resource_events_url }}", context: context, filters: filters) == "None")
    }

    @Test("what Jinja refuses fails the render with its message")
    func errors() {
        #expect(throws: UserTemplate.RenderError.self) { try render("{{ x | nosuchfilter }}") }
        #expect(throws: UserTemplate.RenderError.self) { try render("{% if x %}unclosed") }
        #expect(throws: UserTemplate.RenderError.self) { try render("{{ x.y() }}") }
        #expect(throws: UserTemplate.RenderError.self) { try render("{{ 1 / 0 }}") }
    }

    @Test("v1-style parameter templates keep their type through tojson")
    func parameterUpgrade() throws {
        let upgraded = ActionExecution.upgradeTemplates(["n": "{{ event.payload.n }}", "text": "run {{ x }}", "plain": "p", "list": ["{{ a }}"]])
        #expect(upgraded["n"] == ["__prefect_kind": "json", "value": ["__prefect_kind": "jinja", "template": "{{ event.payload.n | tojson }}"]])
        #expect(upgraded["text"] == ["__prefect_kind": "jinja", "template": "run {{ x }}"])
        #expect(upgraded["plain"] == "p")
    }
}

@Suite("Automations: label patterns")
struct LabelPatternTests {
    @Test("fnmatch: stars, question marks, sets, negation, case")
    func patterns() {
        #expect(LabelPattern.matches("prefect.flow-run.*", "prefect.flow-run.Completed"))
        #expect(LabelPattern.matches("*", ""))
        #expect(!LabelPattern.matches("a.b", "a.B"))
        #expect(LabelPattern.matches("a?c", "abc"))
        #expect(LabelPattern.matches("[ab]x", "bx"))
        #expect(!LabelPattern.matches("[!ab]x", "bx"))
        #expect(LabelPattern.matches("[a-c]*", "b-thing"))
        #expect(LabelPattern.matches("!svc.*", "other"))
        #expect(!LabelPattern.matches("!svc.*", "svc.a"))
        #expect(!LabelPattern.matches("!svc.*", nil), "a missing label matches nothing, negated or not")
        #expect(LabelPattern.matches("[unclosed", "[unclosed"))
    }

    @Test("an event trigger's name pattern: a star is at least one character, matched from the start")
    func eventPattern() {
        #expect(LabelPattern.prefixMatches("prefect.flow-run.Completed", anyOf: ["prefect.flow-run.*"]))
        #expect(!LabelPattern.prefixMatches("prefect.flow-run.", anyOf: ["prefect.flow-run.*"]))
        #expect(LabelPattern.prefixMatches("a.bc", anyOf: ["a.b"]))
        #expect(!LabelPattern.prefixMatches("a?c", anyOf: ["a.c"]), "only the star is special in an event pattern")
        #expect(LabelPattern.prefixMatches("a?c", anyOf: ["a?c"]))
    }

    @Test("a pattern of many stars against a long value takes no time (no backtracking blow-up)")
    func manyStars() {
        let pattern = String(repeating: "*a", count: 30) + "*b"
        let value = String(repeating: "a", count: 5_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(!LabelPattern.fnmatch(value, pattern))
            #expect(!LabelPattern.prefixMatches(value, anyOf: [pattern]))
        }
        #expect(elapsed < .seconds(2))
    }
}
