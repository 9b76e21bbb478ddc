import FoundationEssentials
import Glibc
import Imaging
import Platform
import VisionQuery

/// Hidden `vq _prepare`: validates and shrinks one image exactly as a query would and writes the result to
/// stdout, so `make bench` can time the image pipeline in the real binary. A PDF's pages are rendered one after
/// another, as a query would send them, and written one after another; a video's frames (`--frames N`, default 16)
/// are sampled evenly as a query would, and written one after another.
struct PrepareImageCommand {
    let path: String
    let maxSide: Int?
    let maxPixels: Int?
    let quality: Int?
    let frames: Int?
    let console: Console

    func run() throws(VQError) -> Int32 {
        if let format = InputLoader.sniffedKind(path)?.videoFormat {
            var options = PreparationOptions(maxSide: maxSide, maxPixels: maxPixels)
            if let quality { options.jpegQuality = quality }
            do { return try sampleFrames(VideoFile(path: path, format: format), options: options) } catch {
                throw VQError(.badInput, "\(path): \(error.message)")
            }
        }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw VQError(.inputMissing, "\(path): cannot read: \(ErrorDescription.reason(error))")
        }
        var options = PreparationOptions(maxSide: maxSide, maxPixels: maxPixels)
        if let quality { options.jpegQuality = quality }
        do {
            if ImageSniffer.sniff(data).documentFormat == .pdf {
                // PDFDocument keeps its own copy of the bytes: `consume` lets this one go, as a query's would.
                return try renderPages(PDFDocument(data: consume data, limits: .default), options: options)
            }
            let prepared = try ImagePreparer.prepare(data, options: options)
            try? FileIO.write(prepared.data, to: STDOUT_FILENO)
            console.debug("\(path) -> \(prepared.summary)")
        } catch {
            throw VQError(.badInput, "\(path): \(error.message)")
        }
        return ExitCode.success.rawValue
    }

    private func sampleFrames(_ video: VideoFile, options: PreparationOptions) throws(ImageError) -> Int32 {
        for time in VideoFile.evenTimes(from: 0, to: video.info.duration, count: frames ?? 16) {
            let (prepared, shown) = try video.frame(at: time, options: options)
            try? FileIO.write(prepared.data, to: STDOUT_FILENO)
            console.debug("\(path) frame at \(VideoTime.format(shown)) -> \(prepared.summary)")
        }
        return ExitCode.success.rawValue
    }

    private func renderPages(_ document: PDFDocument, options: PreparationOptions) throws(ImageError) -> Int32 {
        for page in 1...document.pageCount {
            let prepared = try document.renderPage(page, options: options)
            try? FileIO.write(prepared.data, to: STDOUT_FILENO)
            console.debug("\(path) page \(page) -> \(prepared.summary)")
        }
        return ExitCode.success.rawValue
    }
}
