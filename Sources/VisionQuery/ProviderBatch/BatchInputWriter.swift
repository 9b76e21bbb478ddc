import FoundationEssentials
import Glibc
import Platform
import TextFormatting
import Transport

/// Streams prepared requests into the provider's input files, one image at a time, starting a new file (a new job)
/// before a request would break the job's request or byte limit. Memory stays flat: only one request is in memory.
final class BatchInputWriter {
    private let api: any ProviderBatchAPI
    private let base: String
    /// The open input file (a descriptor), nil between files.
    private var handle: Int32?
    private(set) var jobs: [ProviderBatchState.Job] = []
    /// Measures only (a dry run): nothing is written.
    private let measuring: Bool

    /// Files are `base-0`, `base-1`, …
    init(api: any ProviderBatchAPI, base: String, measuring: Bool = false) {
        self.api = api
        self.base = base
        self.measuring = measuring
    }

    /// Adds one request of an estimated `tokens` input tokens.
    func append(customID: String, image: String, key: String?, request: HTTPRequest, tokens: Int = 0) throws(VQError) {
        let parts = api.inputItem(customID: customID, request: request)
        let length = parts.reduce(0) { $0 + $1.encodedLength }
        let framing = api.inputFraming
        let limits = api.limits
        if length + framing.prefix.count + framing.suffix.count > limits.bytes {
            throw VQError(
                .badInput,
                "\(image): its request is \(ByteCountText.format(length)), over the \(api.name) limit of \(ByteCountText.format(limits.bytes)) per job")
        }
        if let budget = limits.enqueuedTokens, tokens > budget {
            throw VQError(
                .badInput, "\(image): its request is ~\(tokens) input tokens, over the profile's batch_max_enqueued_tokens of \(budget)")
        }
        if let job = jobs.last, job.items.count < limits.requests, job.bytes + framing.separator.count + length + framing.suffix.count <= limits.bytes,
            (job.tokens ?? 0) + tokens <= limits.enqueuedTokens ?? .max
        {
            try write(framing.separator)
            jobs[jobs.count - 1].bytes += framing.separator.count
        } else {
            try finishFile()
            let path = "\(base)-\(jobs.count)"
            if !measuring {
                let file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard file >= 0 else { throw VQError(.cannotCreate, "\(path): cannot create the batch input file: \(ErrnoText.current)") }
                handle = file
            }
            jobs.append(ProviderBatchState.Job(input: path, bytes: framing.prefix.count, items: [], nonce: UUID().uuidString.lowercased()))
            try write(framing.prefix)
        }
        for part in parts {
            switch part {
            case .bytes(let data), .binary(let data): try write(data)
            case .base64(let data): try write(data.base64EncodedData())
            case .file: preconditionFailure("a request of a batch carries no file parts")
            case .base64File(let path, let length):
                // A video sent whole (video_url): read here, once, into the batch's input file.
                guard let bytes = Self.prefix(ofFile: path, length: length), bytes.count == length else {
                    throw VQError(.inputMissing, "\(path): cannot read the video again to write the batch input")
                }
                try write(bytes.base64EncodedData())
            }
        }
        jobs[jobs.count - 1].bytes += length
        jobs[jobs.count - 1].tokens = (jobs[jobs.count - 1].tokens ?? 0) + tokens
        jobs[jobs.count - 1].items.append(ProviderBatchState.Item(id: customID, image: image, key: key))
    }

    /// Ends the last file; returns every job.
    func finish() throws(VQError) -> [ProviderBatchState.Job] {
        try finishFile()
        return jobs
    }

    private func finishFile() throws(VQError) {
        guard !jobs.isEmpty, handle != nil || measuring else { return }
        try write(api.inputFraming.suffix)
        jobs[jobs.count - 1].bytes += api.inputFraming.suffix.count
        if let handle {
            self.handle = nil
            let synced = fsync(handle) == 0 ? 0 : errno
            let closed = close(handle) == 0 ? 0 : errno
            if synced != 0 || closed != 0 {
                throw VQError(.cannotCreate, "\(jobs.last!.input): cannot write the batch input file: \(ErrnoText.reason(synced != 0 ? synced : closed))")
            }
        }
    }

    private func write(_ data: Data) throws(VQError) {
        guard let handle, !data.isEmpty else { return }
        do throws(SystemError) { try FileIO.write(data, to: handle) } catch {
            throw VQError(.cannotCreate, "\(jobs.last?.input ?? base): cannot write the batch input file: \(error)")
        }
    }

    /// Up to the first `length` bytes of the file at `path`; nil when it cannot be opened or read.
    private static func prefix(ofFile path: String, length: Int) -> Data? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes = Data()
        while bytes.count < length {
            guard let chunk = try? FileIO.read(descriptor, upTo: min(length - bytes.count, 1 << 20)) else { return nil }
            if chunk.isEmpty { break }
            bytes.append(chunk)
        }
        return bytes
    }

}
