import Foundation
import Imaging
import VisionQuery

/// Hidden `vq _prepare`: validates and shrinks one image exactly as a query would and writes the result to
/// stdout, so `make bench` can time the image pipeline in the real binary.
struct PrepareImageCommand {
    let path: String
    let maxSide: Int?
    let maxPixels: Int?
    let quality: Int?
    let console: Console

    func run() throws(VQError) -> Int32 {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VQError(.inputMissing, "\(path): cannot read: \(error.localizedDescription)")
        }
        var options = PreparationOptions(maxSide: maxSide, maxPixels: maxPixels)
        if let quality { options.jpegQuality = quality }
        let prepared: PreparedImage
        do { prepared = try ImagePreparer.prepare(data, options: options) } catch {
            throw VQError(.badInput, "\(path): \(error.message)")
        }
        FileHandle.standardOutput.write(prepared.data)
        console.debug("\(path) -> \(prepared.summary)")
        return ExitCode.success.rawValue
    }
}
