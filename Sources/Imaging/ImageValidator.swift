import Foundation

/// Decides whether bytes are an image vq can send, and its format and size.
public enum ImageValidator {
    /// Validates from bytes: PNG and JPEG are fully decoded by libpng/libjpeg-turbo (JPEG at DCT scale 1/8,
    /// which still reads every coefficient); WebP and GIF are recognised by signature with dimensions read
    /// from their headers. Anything else throws `notAnImage` or `unsupported` naming what it is.
    public static func validate(_ data: Data, limits: ImageLimits = .default) throws(ImageError) -> ImageInfo {
        let kind = ImageSniffer.sniff(data)
        switch kind {
        case .image(let format) where format == .png || format == .jpeg:
            return try LibraryDecoder.validate(data, as: format, limits: limits)
        case .image(let format):
            let header = [UInt8](data.prefix(32))
            let size = format == .webp ? try WebPHeader.dimensions(header) : try GIFHeader.dimensions(header)
            try limits.check(format, width: size.width, height: size.height)
            return ImageInfo(format: format, width: size.width, height: size.height)
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

    private static func unsupported(_ what: String, hint: String, convertWhat: String = "it") -> ImageError {
        ImageError(.unsupported, "\(what) are not supported; convert \(convertWhat) first, e.g. `\(hint)`")
    }
}
