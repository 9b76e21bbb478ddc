import FoundationEssentials
import Glibc

/// Finding bytes in bytes with memchr and memcmp: what Foundation's `Data.range(of:in:)` did at memory speed, where
/// FoundationEssentials' generic `firstRange(of:)` costs tens of nanoseconds a byte.
public enum ByteSearch {
    /// The first range of `needle` in `haystack[bounds]` (all of it when nil), as indices of `haystack`.
    public static func firstRange(of needle: some DataProtocol, in haystack: Data, bounds: Range<Data.Index>? = nil) -> Range<Data.Index>? {
        let region = bounds ?? haystack.startIndex..<haystack.endIndex
        let pattern = Array(needle)
        guard !pattern.isEmpty, region.count >= pattern.count else { return nil }
        return haystack[region].withUnsafeBytes { bytes -> Range<Data.Index>? in
            pattern.withUnsafeBytes { wanted -> Range<Data.Index>? in
                let base = bytes.baseAddress!
                let first = Int32(pattern[0])
                var offset = 0
                while offset + pattern.count <= bytes.count {
                    guard let hit = memchr(base + offset, first, bytes.count - pattern.count + 1 - offset) else { return nil }
                    offset = base.distance(to: UnsafeRawPointer(hit))
                    if memcmp(base + offset, wanted.baseAddress!, pattern.count) == 0 {
                        return region.lowerBound + offset..<region.lowerBound + offset + pattern.count
                    }
                    offset += 1
                }
                return nil
            }
        }
    }
}
