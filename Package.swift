// swift-tools-version:6.0
import PackageDescription
import Foundation

/// vq: query vision models from the shell.
/// Layers (imports point downward only): vq → VQCLI → VisionQuery → Transport, Imaging, Interrupts, History → CShims → CCurl/CPNG/CJPEG (History → CSQLite, CCrypto).
let package = Package(
    name: "vq",
    products: [
        .executable(name: "vq", targets: ["vq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3",
                       providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .target(name: "CShims", dependencies: ["CCurl", "CPNG", "CJPEG"]),
        .target(name: "Imaging", dependencies: ["CShims"]),
        .target(name: "Transport", dependencies: ["CShims"]),
        .target(name: "Interrupts", dependencies: ["CShims"]),
        .target(name: "History", dependencies: ["CSQLite", "CCrypto"]),
        .target(name: "VisionQuery", dependencies: ["Transport", "Imaging", "Interrupts", "History", "TOMLKit"]),
        .target(name: "VQCLI", dependencies: ["VisionQuery", "Transport", "Imaging", "Interrupts"]),
        .executableTarget(name: "vq", dependencies: ["VQCLI"]),

        .target(name: "TestSupport", dependencies: ["CShims", "Imaging"], path: "Tests/TestSupport"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "TestSupport"]),
        .testTarget(name: "VisionQueryTests", dependencies: ["VisionQuery", "TestSupport"]),
        .testTarget(name: "HistoryTests", dependencies: ["History"]),
        .testTarget(name: "VQCLITests", dependencies: ["VQCLI", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Imaging"]),

        .target(name: "FuzzHarness", dependencies: ["Transport", "Imaging", "VisionQuery", "VQCLI"], path: "Tests/Fuzz/Harness"),
        .testTarget(name: "FuzzRegressionTests", dependencies: ["FuzzHarness"]),
    ]
)

/// The libFuzzer driver (one executable, the target chosen by VQ_FUZZ_TARGET); only `make fuzz` (VQ_FUZZ=1) adds it,
/// so normal builds stay lean.
if ProcessInfo.processInfo.environment["VQ_FUZZ"] != nil {
    package.targets.append(.executableTarget(name: "VQFuzz", dependencies: ["FuzzHarness"], path: "Tests/Fuzz/Driver",
                                             swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
}
