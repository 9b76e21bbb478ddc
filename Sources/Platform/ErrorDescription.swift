import FoundationEssentials
import Glibc
import TextFormatting

/// A short reason for any error, for messages ("no such file or directory"); what `localizedDescription` gave.
public enum ErrorDescription {
    public static func reason(_ error: any Error) -> String {
        switch error {
        case let system as SystemError: return system.description
        case let posix as POSIXError: return ErrnoText.reason(posix.code.rawValue)
        case let cocoa as CocoaError:
            if let posix = cocoa.underlying as? POSIXError { return ErrnoText.reason(posix.code.rawValue) }
            switch cocoa.code {
            case .fileReadNoSuchFile, .fileNoSuchFile: return "no such file"
            case .fileReadNoPermission, .fileWriteNoPermission: return "permission denied"
            case .fileWriteOutOfSpace: return "no space left on device"
            case .fileReadCorruptFile: return "the file is corrupt"
            case .fileReadInapplicableStringEncoding, .fileWriteInapplicableStringEncoding: return "the text is not in the expected encoding"
            default: return "file error \(cocoa.code.rawValue)"
            }
        default: return String(describing: error)
        }
    }
}
