// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Quarry",
    products: [
        .library(name: "Quarry", targets: ["Quarry"]),
        .executable(name: "quarry", targets: ["quarry"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"])]
        ),
        .target(
            name: "Quarry",
            dependencies: ["CPCRE2", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "quarry",
            dependencies: ["Quarry", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(
            name: "QuarryTests",
            dependencies: ["Quarry"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
