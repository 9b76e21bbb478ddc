// TEMPORARY stand-in for the Imaging API until the imaging branch merges.
import Foundation
public enum ImageFormat: String, Sendable { case png, jpeg, webp, gif
    public var mimeType: String { "image/\(rawValue)" }
    public var fileExtension: String { rawValue } }
public enum SniffedKind: Equatable, Sendable { case image(ImageFormat), heic, avif, tiff, bmp, pdf, svg, html, text, empty, unknown
    public var description: String { "" } }
public enum ImageSniffer { public static func sniff(_ bytes: Data) -> SniffedKind { .unknown } }
public struct ImageInfo: Equatable, Sendable { public let format: ImageFormat; public let width: Int; public let height: Int }
public struct ImageError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Kind: Equatable, Sendable { case empty, notAnImage, unsupported, corrupt, tooLarge }
    public let kind: Kind
    public let message: String
    public var description: String { message }
}
public struct ImageLimits: Sendable { public var maxPixels = 100_000_000; public var maxSide = 30_000; public var maxJPEGScans = 100; public static let `default` = ImageLimits() }
public enum ImageValidator { public static func validate(_ data: Data, limits: ImageLimits = .default) throws(ImageError) -> ImageInfo { fatalError() } }
