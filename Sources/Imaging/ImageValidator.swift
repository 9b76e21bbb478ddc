import Foundation

/// Decides whether bytes are an image vq can send, and its format and size.
public enum ImageValidator {
    /// Validates from bytes: PNG and JPEG are fully decoded by libpng/libjpeg-turbo (JPEG at DCT scale 1/8,
    /// which still reads every coefficient); WebP and GIF are recognised by signature with dimensions read
    /// from their headers. Anything else throws `notAnImage` or `unsupported` naming what it is.
    public static func validate(_ data: Data, limits: ImageLimits = .default) throws(ImageError) -> ImageInfo {
        let kind = ImageSniffer.sniff(data)
        switch kind {
        case .image(.png):
            return try LibraryDecoder.validate(data, as: .png, limits: limits)
        case .image(.jpeg):
            return try LibraryDecoder.validate(data, as: .jpeg, limits: limits)
        case .image(.webp):
            return try headerInfo(.webp, WebPHeader.dimensions([UInt8](data.prefix(32))), limits)
        case .image(.gif):
            return try headerInfo(.gif, GIFHeader.dimensions([UInt8](data.prefix(32))), limits)
        case .empty:
            throw ImageError(.empty, "empty file")
        case .heic:
            throw unsupported("HEIC images", hint: "heif-convert in.heic out.jpg")
        case .avif:
            throw unsupported("AVIF images", hint: "avifdec in.avif out.png")
        case .tiff:
            throw unsupported("TIFF images", hint: "convert in.tiff out.png")
        case .bmp:
            throw unsupported("BMP images", hint: "convert in.bmp out.png")
        case .svg:
            throw unsupported("SVG images", hint: "rsvg-convert in.svg -o out.png")
        case .pdf:
            throw unsupported("PDF documents", hint: "pdftoppm -png -singlefile in.pdf out", convertWhat: "a page")
        case .html, .text, .unknown:
            throw ImageError(.notAnImage, "not an image (\(kind))")
        }
    }

    /// Applies the limits to dimensions read from a header (formats vq does not decode).
    private static func headerInfo(_ format: ImageFormat, _ size: (width: Int, height: Int),
                                   _ limits: ImageLimits) throws(ImageError) -> ImageInfo {
        try limits.check(format, width: size.width, height: size.height)
        return ImageInfo(format: format, width: size.width, height: size.height)
    }

    private static func unsupported(_ what: String, hint: String, convertWhat: String = "it") -> ImageError {
        ImageError(.unsupported, "\(what) are not supported; convert \(convertWhat) first, e.g. `\(hint)`")
    }
}
