/// Resource limits checked from headers before any pixels are decoded (decompression-bomb defence).
public struct ImageLimits: Sendable, Equatable {
    /// Largest width × height accepted.
    public var maxPixels: Int
    /// Largest width or height accepted.
    public var maxSide: Int
    /// Most scans a progressive JPEG may have (libjpeg-turbo's advice for untrusted input).
    public var maxJPEGScans: Int

    public init(maxPixels: Int = 100_000_000, maxSide: Int = 30_000, maxJPEGScans: Int = 100) {
        precondition(maxPixels > 0 && maxSide > 0 && maxJPEGScans > 0, "image limits must be positive")
        self.maxPixels = maxPixels
        self.maxSide = maxSide
        self.maxJPEGScans = maxJPEGScans
    }

    public static let `default` = ImageLimits()

    /// Throws `tooLarge` when a header declares dimensions over these limits.
    func check(_ format: ImageFormat, width: Int, height: Int) throws(ImageError) {
        try check(format.displayName, width: width, height: height)
    }

    /// Throws `tooLarge` when `what` ("the MP4 video") declares dimensions over these limits.
    func check(_ what: String, width: Int, height: Int) throws(ImageError) {
        let declared = "\(what) declares \(width)x\(height) pixels"
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        if overflow || pixels > maxPixels {
            throw ImageError(.tooLarge, "\(declared), over the limit of \(maxPixels) pixels")
        }
        if width > maxSide || height > maxSide {
            throw ImageError(.tooLarge, "\(declared), over the limit of \(maxSide) pixels per side")
        }
    }
}
