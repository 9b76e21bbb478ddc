import FoundationEssentials
import Imaging
import Platform

/// `vq detect --masks`: each object's mask saved as a gray PNG the size of the original as displayed (255 on the
/// object, 0 elsewhere), named `<image>-mask-<N>.png` after the image and the object's place in the answer, in the
/// output directory; never over a file (a taken name gets `-2`, `-3`, ...), each written atomically.
struct DetectionMaskWriter {
    let directory: String

    /// Makes the directory before anything is sent (a file in its place is an error then, not after paying).
    func prepare() throws(VQError) {
        var isDirectory = false
        if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
            if !isDirectory { throw VQError(.cannotCreate, "\(directory): --output-dir is not a directory") }
            return
        }
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw VQError(.cannotCreate, "\(directory): cannot create directory: \(ErrorDescription.reason(error))")
        }
    }

    /// Saves every mask of `detections`, recording each path in its mask.
    func save(_ detections: inout [Detection], image: String, size: PixelSize) throws(VQError) {
        let stem = image == "-" ? "stdin" : PathText.deletingExtension(PathText.lastComponent(image))
        for index in detections.indices {
            guard var mask = detections[index].mask else { continue }
            var pixels = [UInt8](repeating: 0, count: size.width * size.height)
            for row in 0..<mask.height {
                let start = (mask.top + row) * size.width + mask.left
                pixels.replaceSubrange(start..<start + mask.width, with: mask.pixels[row * mask.width..<(row + 1) * mask.width])
            }
            let data: Data
            do { data = try ImageEncoder.encodePNG(pixels: pixels, width: size.width, height: size.height, channels: 1) } catch {
                throw VQError(.cannotCreate, "the mask of object \(index + 1) could not be encoded: \(error.message)")
            }
            mask.path = try write(data, name: "\(stem)-mask-\(index + 1)")
            detections[index].mask = mask
        }
    }

    private func write(_ data: Data, name: String) throws(VQError) -> String {
        for attempt in 1...1000 {
            let file = attempt == 1 ? "\(name).png" : "\(name)-\(attempt).png"
            let path = directory == "." ? file : PathText.appending(directory, file)
            if try AtomicFile.create(path, with: data, noun: " mask") { return path }
        }
        throw VQError(.cannotCreate, "\(directory): no free file name for \(name).png")
    }
}
