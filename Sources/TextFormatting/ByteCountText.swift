/// Formats byte counts for people ("812 B", "212 KB", "10.1 MB"; 1 KB = 1024 B), for every layer's messages.
public enum ByteCountText {
    public static func format(_ bytes: Int) -> String {
        if bytes < 1024 { return "\(bytes) B" }
        if bytes < 1024 * 1024 { return "\((bytes + 512) / 1024) KB" }
        let tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10) MB"
    }
}
