// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "swift-prefect",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "PrefectSchemas", targets: ["PrefectSchemas"]),
        .library(name: "PrefectClient", targets: ["PrefectClient"]),
        .library(name: "PrefectServer", targets: ["PrefectServer"]),
        .library(name: "PrefectTestKit", targets: ["PrefectTestKit"]),
        .library(name: "Prefect", targets: ["Prefect"]),
        .executable(name: "prefect-swift", targets: ["prefect-swift"]),
        .executable(name: "hello-flow", targets: ["hello-flow"]),
        .executable(name: "scheduled-etl", targets: ["scheduled-etl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .target(
            name: "PrefectSchemas",
            swiftSettings: strictSettings
        ),
        .target(
            name: "PrefectClient",
            dependencies: [
                "PrefectSchemas",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PrefectServer",
            dependencies: [
                "PrefectClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "PrefectTestKit",
            dependencies: [
                "PrefectServer", "PrefectClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .target(
            name: "Prefect",
            dependencies: [
                "PrefectClient", "PrefectServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "hello-flow",
            dependencies: ["Prefect"],
            path: "Examples/hello-flow",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "scheduled-etl",
            dependencies: ["Prefect"],
            path: "Examples/scheduled-etl",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "prefect-swift",
            dependencies: [
                "Prefect", "PrefectClient", "PrefectServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strictSettings
        ),
        // libFuzzer targets (scripts/fuzz-native.sh builds them with -sanitize=fuzzer,address
        // and -DFUZZING); in an ordinary build they replay the input files they are given.
        .target(
            name: "FuzzDriver",
            path: "Fuzz/FuzzDriver",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "fuzz-decoders",
            dependencies: ["PrefectSchemas", "FuzzDriver"],
            path: "Fuzz/fuzz-decoders",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "fuzz-requests",
            dependencies: [
                "PrefectClient", "PrefectServer", "FuzzDriver",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Fuzz/fuzz-requests",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "prefect-test-flows",
            dependencies: ["Prefect"],
            path: "Tests/TestFlows",
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "prefect-bench",
            dependencies: [
                "Prefect", "PrefectClient", "PrefectServer",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            path: "Benchmarks/prefect-bench",
            swiftSettings: strictSettings
        ),
        .target(
            name: "PrefectTestSupport",
            dependencies: [
                "PrefectClient",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            path: "Tests/PrefectTestSupport",
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PrefectSchemasTests",
            dependencies: ["PrefectSchemas"],
            resources: [.copy("Fixtures")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PrefectTests",
            dependencies: ["Prefect"],
            // The recordings are read from the source tree (#filePath), not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PrefectClientTests",
            dependencies: [
                "PrefectClient", "PrefectTestSupport",
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PrefectServerTests",
            dependencies: [
                "PrefectServer", "PrefectClient", "PrefectTestKit", "PrefectTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The recordings are read from the source tree (#filePath), not bundled.
            exclude: ["Fixtures"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Prefect", "PrefectClient", "PrefectServer", "PrefectTestSupport", "PrefectTestKit",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: strictSettings
        ),
    ]
)
