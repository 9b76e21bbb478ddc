import Foundation
import FuzzHarness

@_silgen_name("LLVMFuzzerRunDriver")
func runLibFuzzerDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// The harness named by VQ_FUZZ_TARGET (sse, ndjson, openai, masterpiecex, argv, config, image, webp, gif, heif, tiff).
nonisolated(unsafe) var selectedHarness: (Data) -> Void = { _ in }

/// libFuzzer driver for every target. SwiftPM names an executable's entry point VQFuzz_main, so this starts
/// libFuzzer's driver itself instead of linking libFuzzer's main.
@_cdecl("VQFuzz_main")
public func fuzzerMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    let name = ProcessInfo.processInfo.environment["VQ_FUZZ_TARGET"] ?? ""
    guard let harness = FuzzHarness.targets[name] else {
        FileHandle.standardError.write(Data("set VQ_FUZZ_TARGET to one of: \(FuzzHarness.targets.keys.sorted().joined(separator: ", "))\n".utf8))
        return 2
    }
    selectedHarness = harness
    var count = argc
    var arguments = argv
    return runLibFuzzerDriver(&count, &arguments, fuzzOneInput)
}

/// One input, as libFuzzer hands it over.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    selectedHarness(bytes.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}
