import Foundation
import TextFormatting
import Transport

/// Streams prepared requests into the provider's input files, one image at a time, starting a new file (a new job)
/// before a request would break the job's request or byte limit. Memory stays flat: only one request is in memory.
final class BatchInputWriter {
    private let api: any ProviderBatchAPI
    private let base: String
    private var handle: FileHandle?
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
                guard FileManager.default.createFile(atPath: path, contents: nil), let file = FileHandle(forWritingAtPath: path) else {
                    throw VQError(.cannotCreate, "\(path): cannot create the batch input file: \(String(cString: strerror(errno)))")
                }
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
                guard let handle = FileHandle(forReadingAtPath: path), let bytes = try? handle.read(upToCount: length), bytes.count == length else {
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
            do {
                try handle.synchronize()
                try handle.close()
            } catch {
                throw VQError(.cannotCreate, "\(jobs.last!.input): cannot write the batch input file: \(error.localizedDescription)")
            }
        }
        handle = nil
    }

    private func write(_ data: Data) throws(VQError) {
        guard let handle, !data.isEmpty else { return }
        do { try handle.write(contentsOf: data) } catch {
            throw VQError(.cannotCreate, "\(jobs.last?.input ?? base): cannot write the batch input file: \(error.localizedDescription)")
        }
    }
}
