import FoundationEssentials
import Glibc

/// Reading and writing whole files and file descriptors with plain system calls (what Foundation's FileHandle did),
/// retrying on EINTR.
public enum FileIO {
    /// The whole file at `path`. A regular file is read straight into one buffer of its size (no zero fill, no
    /// chunk copies: a batch reads every image this way); anything else, or what a file gained since, in chunks.
    public static func contents(ofPath path: String) throws(SystemError) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SystemError(errno) }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0,
            let buffer = malloc(Int(info.st_size))
        else { return try readToEnd(descriptor) }
        let size = Int(info.st_size)
        var filled = 0
        while filled < size {
            let got = Glibc.read(descriptor, buffer + filled, size - filled)
            if got < 0 && errno == EINTR { continue }
            if got < 0 {
                let error = errno
                free(buffer)
                throw SystemError(error)
            }
            if got == 0 { break }
            filled += got
        }
        var data = Data(bytesNoCopy: buffer, count: filled, deallocator: .free)
        guard filled == size else { return data }
        var probe: UInt8 = 0  // one byte, so that the usual end of file costs no 64 KB chunk
        var got: Int
        repeat { got = Glibc.read(descriptor, &probe, 1) } while got < 0 && errno == EINTR
        guard got >= 0 else { throw SystemError(errno) }
        if got == 1 {
            data.append(probe)
            data.append(try readToEnd(descriptor))
        }
        return data
    }

    /// Everything left on `descriptor`, up to its end.
    public static func readToEnd(_ descriptor: Int32) throws(SystemError) -> Data {
        var data = Data()
        while true {
            let chunk = try read(descriptor, upTo: 1 << 16)
            if chunk.isEmpty { return data }
            data.append(chunk)
        }
    }

    /// Everything left on standard input (what was read before an error, if one happens).
    public static func readStandardInput() -> Data {
        var data = Data()
        while let chunk = try? read(0, upTo: 1 << 16), !chunk.isEmpty { data.append(chunk) }
        return data
    }

    /// At most `count` bytes from `descriptor`; empty at the end.
    public static func read(_ descriptor: Int32, upTo count: Int) throws(SystemError) -> Data {
        var buffer = Data(count: count)
        let got = buffer.withUnsafeMutableBytes { bytes in
            var got: Int
            repeat { got = Glibc.read(descriptor, bytes.baseAddress, count) } while got < 0 && errno == EINTR
            return got
        }
        guard got >= 0 else { throw SystemError(errno) }
        buffer.count = got
        return buffer
    }

    /// Writes all of `data` to `descriptor`.
    public static func write(_ data: some DataProtocol, to descriptor: Int32) throws(SystemError) {
        for region in data.regions {
            let failure: Int32? = region.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        return errno
                    }
                    offset += written
                }
                return nil
            }
            if let failure { throw SystemError(failure) }
        }
    }
}
