import PrefectSchemas

/// Two-word names for runs created without one, as Prefect's `generate_slug(2)` gives
/// (`adjective-animal`).
enum RunNames {
    private static let adjectives = [
        "amber", "ancient", "bold", "brave", "bright", "calm", "clever", "cosmic", "crimson", "daring", "eager", "electric",
        "emerald", "fancy", "fearless", "gentle", "golden", "graceful", "hidden", "humble", "icy", "jolly", "keen", "lively",
        "lucky", "magnetic", "mellow", "merry", "mighty", "nimble", "noble", "olive", "patient", "polite", "quick", "quiet",
        "rapid", "rustic", "sapphire", "secret", "shiny", "silent", "silver", "smart", "solar", "spotted", "steady",
        "sturdy", "swift", "tactful", "tidy", "twinkling", "vivid", "warm", "wise", "witty", "zealous",
    ]
    private static let animals = [
        "albatross", "alligator", "antelope", "badger", "beaver", "bison", "buffalo", "camel", "caribou", "cheetah",
        "cobra", "condor", "coyote", "crane", "dingo", "dolphin", "eagle", "falcon", "ferret", "finch", "gazelle", "gecko",
        "gibbon", "heron", "hyena", "ibex", "iguana", "jackal", "jaguar", "kestrel", "koala", "lemur", "leopard", "lynx",
        "mallard", "marmot", "mongoose", "moose", "narwhal", "ocelot", "okapi", "oriole", "otter", "panda", "pelican",
        "penguin", "puffin", "quail", "raccoon", "raven", "salamander", "seal", "sparrow", "tapir", "toucan", "walrus",
        "wombat", "yak", "zebra",
    ]

    static func make() -> String {
        var generator = KernelRandomGenerator()
        return "\(adjectives.randomElement(using: &generator) ?? "quiet")-\(animals.randomElement(using: &generator) ?? "otter")"
    }
}
