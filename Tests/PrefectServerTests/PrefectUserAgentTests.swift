@testable import PrefectServer
import Testing

/// The hand-read `User-Agent` against the pattern Prefect's `get_prefect_client_version` uses,
/// kept here as the oracle: the same verdict and version on known headers and on headers built
/// from pieces that sit at each boundary of the pattern.
@Suite("Prefect client versions from User-Agent")
struct PrefectUserAgentTests {
    static func oracle(_ userAgent: String) -> String? {
        userAgent.wholeMatch(of: /prefect\/(\d+\.\d+\.\d+(?:[a-z.+0-9]+)?) \(API \S+\)/).map { String($0.output.1) }
    }

    @Test("known headers")
    func known() {
        #expect(PrefectUserAgent.clientVersion("prefect/3.9.1 (API 0.8.4)") == "3.9.1")
        #expect(PrefectUserAgent.clientVersion("prefect/3.0.0rc2+12.gabc (API 0.8.4)") == "3.0.0rc2+12.gabc")
        #expect(PrefectUserAgent.clientVersion("python-httpx/0.28.1") == nil)
        #expect(PrefectUserAgent.clientVersion("prefect-swift/0.1 (API 0.8.4)") == nil)
        #expect(PrefectUserAgent.clientVersion("") == nil)
    }

    @Test("every combination of boundary pieces agrees with Prefect's pattern")
    func agreesWithPattern() {
        let prefixes = ["prefect/", "Prefect/", "prefect", "xprefect/", ""]
        let versions = ["3.9.1", "3.9", "3..1", "3.9.1rc1", "3.9.1+g.1", "3.9.1-dev", "10.20.30", "a.1.1", "3.9.1A", "", "3.9.1 "]
        let separators = [" ", "  ", "", "\t"]
        let clauses = ["(API 0.8.4)", "(API )", "(API 0.8.4", "(API 0 8)", "(API x))", "(api 0.8.4)", "(API 0.8.4) ", "(API ))"]
        for prefix in prefixes {
            for version in versions {
                for separator in separators {
                    for clause in clauses {
                        let header = prefix + version + separator + clause
                        #expect(PrefectUserAgent.clientVersion(header) == Self.oracle(header), "\(header)")
                    }
                }
            }
        }
    }
}
