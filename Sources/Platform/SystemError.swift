import TextFormatting

/// A failed system call: its errno, shown as the short reason vq prints ("no such file or directory").
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public let code: Int32

    public init(_ code: Int32) { self.code = code }

    public var description: String { ErrnoText.reason(code) }
}
