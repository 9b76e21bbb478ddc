import Foundation
import TextFormatting

/// Turns file-system errors into short reasons ("no such file", "permission denied").
enum FileErrors {
    static func reason(_ error: Error, path: String) -> String {
        let ns = error as NSError
        if let posix = (ns.userInfo[NSUnderlyingErrorKey] as? NSError), posix.domain == NSPOSIXErrorDomain {
            return ErrnoText.reason(Int32(posix.code))
        }
        switch ns.code {
        case NSFileReadNoSuchFileError: return "no such file"
        case NSFileReadNoPermissionError: return "permission denied"
        default: return ns.localizedDescription
        }
    }
}
