import FoundationEssentials

/// Finds the EXIF orientation (TIFF IFD0, tag 0x0112) in a JPEG's APP1 "Exif" segment or any TIFF payload (a PNG's
/// eXIf chunk), bounds-checked throughout.
enum ExifOrientationReader {
    /// The orientation a JPEG (APP1) or PNG (eXIf) declares; `.up` for other formats, whose decoders turn them.
    static func orientation(of data: Data, as format: ImageFormat) -> ExifOrientation {
        switch format {
        case .jpeg: data.withUnsafeBytes { orientation(ofJPEG: $0) }
        case .png: PNGChunkInspector(data).orientation
        case .webp, .gif, .heic, .avif, .tiff: .up
        }
    }

    /// The orientation the JPEG declares; `.up` when it has none or the EXIF data is malformed.
    static func orientation(ofJPEG bytes: UnsafeRawBufferPointer) -> ExifOrientation {
        guard let tiff = exifTIFF(in: bytes) else { return .up }
        return orientation(inTIFF: UnsafeRawBufferPointer(rebasing: tiff)) ?? .up
    }

    /// The TIFF payload of the first APP1 segment starting "Exif\0\0", scanning markers up to the first scan.
    private static func exifTIFF(in bytes: UnsafeRawBufferPointer) -> Slice<UnsafeRawBufferPointer>? {
        guard bytes.count >= 4, bytes[0] == 0xFF, bytes[1] == 0xD8 else { return nil }
        var offset = 2
        while offset + 4 <= bytes.count {
            guard bytes[offset] == 0xFF else { return nil }
            let marker = bytes[offset + 1]
            if marker == 0xFF {
                offset += 1
                continue
            }  // fill byte
            if marker == 0xDA || marker == 0xD9 { return nil }  // start of scan / end of image: no more headers
            if (0xD0...0xD7).contains(marker) || marker == 0x01 {
                offset += 2
                continue
            }  // no length field
            let length = Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            let body = offset + 4
            let end = offset + 2 + length
            guard length >= 2, end <= bytes.count else { return nil }
            if marker == 0xE1, end - body >= 6,
                bytes[body..<body + 6].elementsEqual([0x45, 0x78, 0x69, 0x66, 0x00, 0x00])
            {
                return bytes[(body + 6)..<end]
            }
            offset = end
        }
        return nil
    }

    /// Reads tag 0x0112 (SHORT, count 1) from IFD0 of a TIFF structure in either byte order.
    static func orientation(inTIFF tiff: UnsafeRawBufferPointer) -> ExifOrientation? {
        guard tiff.count >= 8 else { return nil }
        let bigEndian: Bool
        switch (tiff[0], tiff[1]) {
        case (0x49, 0x49): bigEndian = false
        case (0x4D, 0x4D): bigEndian = true
        default: return nil
        }
        func u16(_ at: Int) -> Int? {
            guard at >= 0, at + 2 <= tiff.count else { return nil }
            return bigEndian ? Int(tiff[at]) << 8 | Int(tiff[at + 1]) : Int(tiff[at + 1]) << 8 | Int(tiff[at])
        }
        func u32(_ at: Int) -> Int? {
            guard let high = u16(bigEndian ? at : at + 2), let low = u16(bigEndian ? at + 2 : at) else { return nil }
            return high << 16 | low
        }
        guard u16(2) == 42, let ifd = u32(4), let count = u16(ifd) else { return nil }
        for index in 0..<count {
            let entry = ifd + 2 + index * 12
            guard let tag = u16(entry), let type = u16(entry + 2), let values = u32(entry + 4) else { return nil }
            if tag == 0x0112 {
                guard type == 3, values == 1, let value = u16(entry + 8) else { return nil }
                return ExifOrientation(rawValue: value)
            }
        }
        return nil
    }
}
