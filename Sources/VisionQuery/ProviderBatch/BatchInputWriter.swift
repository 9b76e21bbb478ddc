import FoundationEssentials
import Glibc
import Platform
import TextFormatting
import Transport

/// Streams prepared requests into the provider's input files, one image at a time, starting a new file (a new job)
/// before a request would break the job's request or byte limit; requests of different routes (OpenAI's
/// generations and edits) or models go to different jobs. Memory stays flat: only one request is in memory.
final class BatchInputWriter {
    private let api: any ProviderBatchAPI
    private let base: String
    /// The job still taking requests of each route (`ProviderBatchAPI.route(of:)`) and model, and its open input
    /// file (a descriptor; none when measuring).
    private var openJobs: [String: (index: Int, handle: Int32?)] = [:]
    private(set) var jobs: [ProviderBatchState.Job] = []
    /// Measures only (a dry run): nothing is written.
    private let measuring: Bool
    /// Hears each request line as it is written (a dry run shows them).
    var onLine: (([BodyPart]) -> Void)?

    /// Files are `base-0`, `base-1`, …
    init(api: any ProviderBatchAPI, base: String, measuring: Bool = false) {
        self.api = api
        self.base = base
        self.measuring = measuring
    }

    /// Adds one request of an estimated `tokens` input tokens, to the open job of its route and `model` (a job's
    /// requests name one model: OpenAI's batch input holds one model's requests, Gemini's names it in its URL).
    func append(customID: String, image: String, key: String?, request: HTTPRequest, tokens: Int = 0, model: String = "") throws(VQError) {
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
        let route = api.route(of: request)
        let group = "\(route ?? "")\n\(model)"
        if let open = openJobs[group], jobs[open.index].items.count < limits.requests,
            jobs[open.index].bytes + framing.separator.count + length + framing.suffix.count <= limits.bytes,
            (jobs[open.index].tokens ?? 0) + tokens <= limits.enqueuedTokens ?? .max
        {
            try write(framing.separator, to: group)
            jobs[open.index].bytes += framing.separator.count
        } else {
            try finishFile(of: group)
            let path = "\(base)-\(jobs.count)"
            var handle: Int32?
            if !measuring {
                let file = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
                guard file >= 0 else { throw VQError(.cannotCreate, "\(path): cannot create the batch input file: \(ErrnoText.current)") }
                handle = file
            }
            var job = ProviderBatchState.Job(input: path, bytes: framing.prefix.count, items: [], nonce: UUID().uuidString.lowercased())
            job.route = route
            jobs.append(job)
            openJobs[group] = (jobs.count - 1, handle)
            try write(framing.prefix, to: group)
        }
        for part in parts {
            switch part {
            case .bytes(let data), .binary(let data): try write(data, to: group)
            case .base64(let data): try write(data.base64EncodedData(), to: group)
            case .file: preconditionFailure("a request of a batch carries no file parts")
            case .base64File(let path, let length):
                // A video sent whole (video_url): read here, once, into the batch's input file.
                guard let bytes = Self.prefix(ofFile: path, length: length), bytes.count == length else {
                    throw VQError(.inputMissing, "\(path): cannot read the video again to write the batch input")
                }
                try write(bytes.base64EncodedData(), to: group)
            }
        }
        onLine?(parts)
        let index = openJobs[group]!.index
        jobs[index].bytes += length
        jobs[index].tokens = (jobs[index].tokens ?? 0) + tokens
        jobs[index].items.append(ProviderBatchState.Item(id: customID, image: image, key: key))
    }

    /// Ends every open file; returns every job.
    func finish() throws(VQError) -> [ProviderBatchState.Job] {
        for group in openJobs.sorted(by: { $0.value.index < $1.value.index }).map(\.key) { try finishFile(of: group) }
        return jobs
    }

    private func finishFile(of group: String) throws(VQError) {
        guard let open = openJobs[group] else { return }
        try write(api.inputFraming.suffix, to: group)
        openJobs[group] = nil
        jobs[open.index].bytes += api.inputFraming.suffix.count
        if let handle = open.handle {
            let synced = fsync(handle) == 0 ? 0 : errno
            let closed = close(handle) == 0 ? 0 : errno
            if synced != 0 || closed != 0 {
                throw VQError(
                    .cannotCreate, "\(jobs[open.index].input): cannot write the batch input file: \(ErrnoText.reason(synced != 0 ? synced : closed))")
            }
        }
    }

    private func write(_ data: Data, to group: String) throws(VQError) {
        guard let open = openJobs[group], let handle = open.handle, !data.isEmpty else { return }
        do throws(SystemError) { try FileIO.write(data, to: handle) } catch {
            throw VQError(.cannotCreate, "\(jobs[open.index].input): cannot write the batch input file: \(error)")
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
