// swift-tools-version: 6.0
// libFuzzer targets for Quarry. Build (from this folder):
//   swift build -c release -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
// See docs/robustness.md.
import PackageDescription

let package = Package(
    name: "QuarryFuzz",
    dependencies: [
        .package(name: "Quarry", path: ".."),
    ],
    targets: [
        .target(name: "CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", .product(name: "Quarry", package: "Quarry")]),
        .executableTarget(
            name: "FuzzDocument",
            dependencies: ["FuzzSupport", .product(name: "Quarry", package: "Quarry")]),
        .executableTarget(
            name: "FuzzRulePack",
            dependencies: ["FuzzSupport", .product(name: "Quarry", package: "Quarry")]),
    ],
    swiftLanguageModes: [.v6]
)
