/// An object's segmentation mask in the original image's displayed pixels: a `width`x`height` patch at (`left`,
/// `top`), 255 where the object is, 0 elsewhere.
public struct DetectionMask: Sendable, Equatable {
    public var left: Int
    public var top: Int
    public var width: Int
    public var height: Int
    public var pixels: [UInt8]
    /// Where the mask was saved as a PNG (`--masks`), once it is.
    public var path: String?

    public init(left: Int, top: Int, width: Int, height: Int, pixels: [UInt8], path: String? = nil) {
        precondition(pixels.count == width * height, "mask size does not match")
        (self.left, self.top, self.width, self.height, self.pixels, self.path) = (left, top, width, height, pixels, path)
    }
}
