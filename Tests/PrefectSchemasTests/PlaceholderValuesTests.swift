import PrefectSchemas
import Testing

/// `apply_values` (`prefect/utilities/templating/__init__.py`): what Prefect's job templates
/// and Custom Webhook block fill in.
@Suite("Placeholder values")
struct PlaceholderValuesTests {
    let values: JSONObject = ["subject": "S", "body": "B", "n": 3, "nested": ["list": [["x": "deep"]]]]

    @Test("a whole placeholder becomes the value, a placeholder in text its str()")
    func replace() {
        #expect(PlaceholderValues.apply("{{ n }}", values) == 3)
        #expect(PlaceholderValues.apply("{{subject}}|{{ body }}|{{ n }}", values) == "S|B|3")
        #expect(PlaceholderValues.apply("{{ nested.list[0].x }}", values) == "deep")
        #expect(PlaceholderValues.apply(["text": "{{subject}}", "keep": 1, "list": ["{{ body }}", "{{ missing }}"]], values)
            == ["text": "S", "keep": 1, "list": ["B"]])
    }

    @Test("a missing value leaves its member out, or empty text inside a string")
    func missing() {
        #expect(PlaceholderValues.apply(["gone": "{{ missing }}", "kept": "a {{ missing }} b"], values) == ["kept": "a  b"])
        #expect(PlaceholderValues.apply("{{ prefect.variables.x }} and {{ n }}", values) == "{{ prefect.variables.x }} and 3")
    }
}
