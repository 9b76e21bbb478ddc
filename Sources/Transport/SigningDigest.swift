internal import CCrypto
import FoundationEssentials

/// SHA-256 and HMAC-SHA256 from libcrypto (`SHA256_*`, one-shot `HMAC`): the primitives of AWS Signature Version 4.
enum SigningDigest {
    /// The SHA-256 of `bytes`.
    static func sha256<Bytes: DataProtocol>(_ bytes: Bytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var context = SHA256_CTX()
        var status = SHA256_Init(&context)
        for region in bytes.regions {
            status &= region.withUnsafeBytes { SHA256_Update(&context, $0.baseAddress, $0.count) }
        }
        status &= SHA256_Final(&digest, &context)
        precondition(status == 1, "SHA-256 failed")
        return digest
    }

    /// HMAC-SHA256 of `message` under `key`.
    static func hmacSHA256(key: [UInt8], _ message: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBytes { messageBytes in
                HMAC(
                    EVP_sha256(), keyBytes.baseAddress, Int32(keyBytes.count), messageBytes.bindMemory(to: UInt8.self).baseAddress,
                    messageBytes.count, &digest, &length)
            }
        }
        precondition(result != nil && length == 32, "HMAC-SHA256 failed")
        return Array(digest.prefix(Int(length)))
    }

    /// HMAC-SHA256 of a UTF-8 string.
    static func hmacSHA256(key: [UInt8], _ message: String) -> [UInt8] { hmacSHA256(key: key, Array(message.utf8)) }

    /// Lowercase hex digits.
    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
