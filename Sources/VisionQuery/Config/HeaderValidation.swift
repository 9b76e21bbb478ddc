import TextFormatting

/// Checks header names and values given by users (RFC 9110 token; no CR/LF in values).
public enum HeaderValidation {
    public static func isValidName(_ name: String) -> Bool {
        let allowed = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return !name.isEmpty && name.allSatisfy { allowed.contains($0) }
    }

    public static func isValidValue(_ value: String) -> Bool {
        !value.containsScalars("\r") && !value.containsScalars("\n") && !value.containsScalars("\0")
    }
}
