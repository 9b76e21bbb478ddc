// swift-tools-version:6.0
import PackageDescription
import Foundation

/// vq: query vision models from the shell.
/// Layers (imports point downward only): vq → VQCLI → VisionQuery → Transport, Imaging, Interrupts, History → CShims →
/// CCurl/CPNG/CJPEG/CWebP/CGIF/CHEIF/CTIFF/CPoppler/CFFmpeg/CEditLine (History → CShims' SQLite, CCrypto; Transport → CCrypto for
/// SigV4); TextFormatting (byte counts, errno text) sits below them all.

/// `pkg-config --cflags NAME` split into arguments ([] when pkg-config or the package is missing, and the
/// compiler then names the missing header). For libraries loaded with dlopen, whose `--libs` must not be linked.
func pkgConfigCFlags(_ name: String) -> [String] {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["pkg-config", "--cflags", name]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return [] }
    let flags = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return [] }
    return String(decoding: flags, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
}

/// The targets linked into vq import FoundationEssentials (swift-foundation's core, without ICU's ~40 MB of data) and
/// never Foundation; members of modules they do not import stay invisible, so Foundation's extensions cannot creep
/// back in through a dependency that imports it (TOMLKit). A test (NoFoundationImportTests) checks the imports.
let withoutFoundation: [SwiftSetting] = [.enableUpcomingFeature("MemberImportVisibility")]

let package = Package(
    name: "vq",
    products: [
        .executable(name: "vq", targets: ["vq"]),
    ],
    dependencies: [
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // Headers only (no pkgConfig, so no -l flags): libcurl is loaded on first use (dlopen), so a run that sends
        // no request does not pay for its 33-object dependency chain; see CShims/vq_curl_library.h.
        .systemLibrary(name: "CCurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CPNG", pkgConfig: "libpng",
                       providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg",
                       providers: [.apt(["libjpeg-dev"])]),
        // Headers only (no pkgConfig, so no -l flags): libwebp, giflib, libheif, libtiff and SQLite are loaded on
        // first use (dlopen), so a run that needs none of them does not pay for loading them; see
        // CShims/vq_lazy_library.h.
        .systemLibrary(name: "CWebP", providers: [.apt(["libwebp-dev"])]),
        .systemLibrary(name: "CGIF", providers: [.apt(["libgif-dev"])]),
        .systemLibrary(name: "CHEIF", providers: [.apt(["libheif-dev"])]),
        // Headers only: libedit (vq chat's line editor) is loaded on first use, see CShims/vq_line_editor_library.h.
        .systemLibrary(name: "CEditLine", providers: [.apt(["libedit-dev"])]),
        .systemLibrary(name: "CTIFF", providers: [.apt(["libtiff-dev"])]),
        // Headers only, like CHEIF: poppler-glib (with cairo and glib) is loaded on first use, see
        // CShims/vq_pdf_library.h. Its headers need glib's and cairo's include paths, so CShims gets pkg-config's
        // --cflags (and never its --libs, which would load poppler at every start).
        .systemLibrary(name: "CPoppler", providers: [.apt(["libpoppler-glib-dev"])]),
        // Headers only, like CHEIF: FFmpeg's libraries are loaded on first use, see CShims/vq_video_library.h.
        .systemLibrary(
            name: "CFFmpeg", providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        // zlib (always installed with libpng) gives the CRC-32 that finds damaged PNG chunks.
        .target(name: "CShims", dependencies: ["CCurl", "CPNG", "CJPEG", "CWebP", "CGIF", "CHEIF", "CTIFF", "CPoppler", "CFFmpeg", "CEditLine"],
                cSettings: [.unsafeFlags(pkgConfigCFlags("poppler-glib"))],
                linkerSettings: [.linkedLibrary("z")]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto",
                       providers: [.apt(["libssl-dev"])]),
        .target(name: "TextFormatting", swiftSettings: withoutFoundation),
        .target(name: "Platform", dependencies: ["TextFormatting"], swiftSettings: withoutFoundation),
        .target(name: "Imaging", dependencies: ["CShims", "TextFormatting"], swiftSettings: withoutFoundation),
        .target(name: "Transport", dependencies: ["CShims", "CCrypto", "TextFormatting", "Platform"], swiftSettings: withoutFoundation),
        .target(name: "Interrupts", dependencies: ["CShims", "Platform"], swiftSettings: withoutFoundation),
        .target(name: "History", dependencies: ["CShims", "CCrypto", "Platform", "TextFormatting"], swiftSettings: withoutFoundation),
        .target(name: "VisionQuery", dependencies: ["Transport", "Imaging", "Interrupts", "History", "TextFormatting", "Platform", "TOMLKit"], swiftSettings: withoutFoundation),
        .target(name: "VQCLI", dependencies: ["CShims", "VisionQuery", "Transport", "Imaging", "Interrupts", "TextFormatting", "Platform"], swiftSettings: withoutFoundation),
        // A release vq exports no symbols: nothing loads into it and looks them up (the libraries it dlopens resolve
        // their own), and Swift's default -rdynamic put 9,000 names (700 KB) into the binary and the loader's work.
        .executableTarget(name: "vq", dependencies: ["VQCLI"], swiftSettings: withoutFoundation,
                          linkerSettings: [.unsafeFlags(["-Xlinker", "--no-export-dynamic"], .when(configuration: .release))]),

        // The tests' independent readers link libwebpdemux themselves: vq loads it on first use (CWebP is headers only).
        .target(name: "CTestSupport", dependencies: ["CPNG", "CJPEG", "CWebP"], path: "Tests/CTestSupport",
                linkerSettings: [.linkedLibrary("webpdemux"), .linkedLibrary("webp")]),
        // OpenSSL only for the tests' TLS server; vq reaches TLS through libcurl.
        .systemLibrary(name: "COpenSSL", path: "Tests/COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "TestSupport", dependencies: ["CShims", "CTestSupport", "Imaging", "COpenSSL"], path: "Tests/TestSupport"),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "TestSupport", "CTestSupport"]),
        .testTarget(name: "TransportTests", dependencies: ["Transport", "TestSupport"]),
        .testTarget(name: "VisionQueryTests", dependencies: ["VisionQuery", "Interrupts", "Platform", "TestSupport"]),
        .testTarget(name: "HistoryTests", dependencies: ["History"]),
        .testTarget(name: "PlatformTests", dependencies: ["Platform", "TextFormatting"]),
        .testTarget(name: "VQCLITests", dependencies: ["VQCLI", "TestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["TestSupport", "Imaging", "CTestSupport", "Transport"]),

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
