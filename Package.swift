// swift-tools-version:6.2
// QuoteDesk: a terminal market-making workstation. The layers follow ../shared/DESIGN.md.
import PackageDescription

/// The engine's objects are owned by one thread by design, so release builds drop the runtime
/// exclusivity checks on their class properties (about a third of a book update's cost).
/// Generic code reaches other modules specialised through `@inlinable` and `@_specialize`
/// rather than `-cross-module-optimization`: as fast, measured (fewer instructions per
/// backtest event), and what crosses a module boundary stays explicit.
let hotPath: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "QuoteDesk",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "quotedesk", targets: ["quotedesk"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-atomics", from: "1.2.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.1.0"),
        .package(url: "https://github.com/ordo-one/malloc-interposer", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // Value types shared by every layer: fixed-point numbers, instruments, events, commands.
        .target(name: "DeskCore"),
        // The deterministic engine: book, signals, strategies, risk, OMS, P&L, breakers.
        // Its math comes from swift-numerics' RealModule: the engine imports no libc.
        .target(name: "DeskEngine", dependencies: ["DeskCore", .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: hotPath),
        // zlib, to read gzip captures in place.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        // What the engine quotes into: the paper exchange, replays, the AS-model simulator.
        .target(name: "DeskVenues", dependencies: ["DeskCore", "DeskEngine", "CZlib", "CPlatform",
                                                   .product(name: "RealModule", package: "swift-numerics")],
                swiftSettings: hotPath),
        // The few C functions Swift cannot reach: thread pinning, current cpu, monotonic clock.
        .target(name: "CPlatform"),
        // A plain C order book, the yardstick `quotedesk bench` holds the Swift book against.
        .target(name: "CBookReference", cSettings: [.unsafeFlags(["-O2"])]),
        // Threads, rings and clocks around the engine: SPSC rings, snapshot exchange, wiring.
        .target(
            name: "DeskRuntime",
            dependencies: [
                "DeskCore", "DeskEngine", "DeskVenues", "DeskStore", "CPlatform",
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "DequeModule", package: "swift-collections"),
            ]
        ),
        .target(name: "DeskStore", dependencies: ["DeskCore"]),
        // ncursesw, wide-character API, with its macros and globals wrapped for Swift.
        .systemLibrary(name: "CNcurses", providers: [.apt(["libncurses-dev"])]),
        // The operator's screen: panels, themes, keymaps, command line. Reads snapshots, sends commands.
        // It reads engine types (breakers, orders) inside the snapshot, so it depends on the
        // engine directly: a change to their layout must rebuild it.
        .target(name: "DeskConsole", dependencies: ["DeskCore", "DeskEngine", "DeskRuntime", "DeskStore", "CNcurses", "CPlatform"]),
        .executableTarget(
            name: "quotedesk",
            dependencies: [
                "DeskCore", "DeskEngine", "DeskVenues", "DeskRuntime", "DeskStore", "DeskConsole", "CPlatform", "CBookReference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "Atomics", package: "swift-atomics"),
                .product(name: "MallocInterposerSwift", package: "malloc-interposer"),
            ]
        ),
        .testTarget(name: "DeskCoreTests", dependencies: ["DeskCore"]),
        .testTarget(name: "DeskEngineTests", dependencies: ["DeskCore", "DeskEngine"]),
        .testTarget(name: "DeskVenuesTests", dependencies: ["DeskCore", "DeskEngine", "DeskVenues"]),
        .testTarget(name: "DeskRuntimeTests", dependencies: ["DeskRuntime", "CPlatform", "DeskCore", "DeskEngine", "DeskStore", "DeskVenues"]),
        .testTarget(name: "DeskStoreTests", dependencies: ["DeskCore", "DeskStore"]),
        // The golden screens are read from the source tree by path, not bundled.
        .testTarget(name: "DeskConsoleTests", dependencies: ["DeskConsole", "DeskCore", "DeskEngine", "DeskRuntime", "DeskStore", "DeskVenues", "CPlatform"],
                    exclude: ["Golden"]),
        // Runs the built `quotedesk` binary as a person would, and reads what it prints.
        .testTarget(name: "QuoteDeskCLITests", dependencies: ["quotedesk"]),
    ]
)
