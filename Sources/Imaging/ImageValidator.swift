import FoundationEssentials

/// Decides whether bytes are an image vq can send, and its format and size.
public enum ImageValidator {
    /// Validates from bytes by decoding the whole file: PNG and JPEG with libpng/libjpeg-turbo (JPEG at DCT scale
    /// 1/8, which still reads every coefficient), WebP with libwebp (every frame of an animation), GIF with giflib
    /// (every block read, the first frame decoded), HEIC/AVIF with libheif (the primary image), TIFF with libtiff (the
    /// first page). Anything else
    /// throws `notAnImage` or `unsupported` naming what it is.
    public static func validate(_ data: Data, limits: ImageLimits = .default) throws(ImageError) -> ImageInfo {
        let kind = ImageSniffer.sniff(data)
        switch kind {
        case .image(let format):
            return try LibraryDecoder.validate(data, as: format, limits: limits)
        case .empty:
            throw ImageError(.empty, "empty file")
        case .damagedPNG:
            throw ImageError(.corrupt, "\(kind), which breaks every chunk; transfer the file again in binary mode")
        case .pdf:
            throw unsupported("PDF documents", hint: "pdftoppm -png -singlefile in.pdf out", convertWhat: "a page")
        case .eps:
            throw unsupported("EPS/PostScript documents", hint: "gs -sDEVICE=png16m -r150 -o out.png in.eps")
        case .svg:
            throw unsupported("SVG images", hint: "rsvg-convert in.svg -o out.png")
        case .bmp, .tga, .netpbm, .jpeg2000, .psd, .ico, .cur, .qoi, .xpm, .xbm:
            let (what, input) = conversion(kind)
            throw unsupported(what, hint: "convert \(input) out.png")
        case .html, .text, .unknown:
            throw ImageError(.notAnImage, "not an image (\(kind))")
        case .video:
            throw ImageError(.notAnImage, "\(kind), not an image")
        }
    }

    /// What the refused kind is called in the plural, and the input of the ImageMagick hint.
    private static func conversion(_ kind: SniffedKind) -> (what: String, input: String) {
        switch kind {
        case .bmp: ("BMP images", "in.bmp")
        case .tga: ("TGA images", "in.tga")
        case .netpbm(let name): ("\(name) images", "in.\(name.lowercased())")
        case .jpeg2000: ("JPEG 2000 images", "in.jp2")
        case .psd: ("Photoshop (PSD) images", "'in.psd[0]'")
        case .ico: ("Windows icons (ICO)", "'in.ico[0]'")
        case .cur: ("Windows cursors (CUR)", "'in.cur[0]'")
        case .qoi: ("QOI images", "in.qoi")
        case .xpm: ("XPM images", "in.xpm")
        case .xbm: ("XBM images", "in.xbm")
        default: preconditionFailure("\(kind) has its own message")
        }
    }

    private static func unsupported(_ what: String, hint: String, convertWhat: String = "it") -> ImageError {
        ImageError(.unsupported, "\(what) are not supported; convert \(convertWhat) first, e.g. `\(hint)`")
    }
}
