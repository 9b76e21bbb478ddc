/// Size of `n` bytes once base64-encoded, which is how services count image bytes.
enum Base64Length {
    static func of(_ n: Int) -> Int { 4 * ((n + 2) / 3) }
}
