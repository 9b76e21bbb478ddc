import FoundationEssentials
import TextFormatting
import Transport

/// What an OpenAI batch leaves at the provider, found and cleared for certain: the job created just before an
/// interruption (by the tag in its `metadata`, paging back until batches are older than its input file), an upload
/// interrupted after the provider stored it (by the name vq gave it), and the input, output and error files once
/// the results are written. Only files and batches vq created are touched.
extension OpenAIBatchAPI {
    /// The `metadata` key holding the job's nonce.
    static let jobTag = "vq_job"

    /// The batch created for `job`, or nil when none was.
    func existingBatch(for job: ProviderBatchState.Job, fileID: String, context: ExchangeContext) throws(VQError) -> String? {
        var found: String?
        try forEachListed("/batches?limit=100", step: "listing batches", context: context) { batch in
            let tag = (batch["metadata"] as? [String: Any])?[Self.jobTag] as? String
            if (job.nonce != nil && tag == job.nonce) || batch["input_file_id"] as? String == fileID {
                found = batch["id"] as? String
                return false
            }
            // Newest first: a batch older than the input file was created before this job could be.
            if let since = job.inputFileCreatedAt, let created = JSONValue.int(batch["created_at"]), created < since { return false }
            return true
        }
        return found
    }

    /// Deletes every uploaded file called `name` (vq's own name for one job's input).
    func deleteFiles(named name: String, context: ExchangeContext) throws(VQError) {
        var orphans: [String] = []
        try forEachListed("/files?purpose=batch", step: "listing files", context: context) { file in
            if file["filename"] as? String == name, let id = file["id"] as? String { orphans.append(id) }
            return true
        }
        for id in orphans { try deleteFile(id, context: context) }
    }

    /// Deletes the job's input file and its batch's output and error files, once the provider confirms they are
    /// vq's: the input file bears the job's upload name and the batch the job's tag (a state file edited to name
    /// someone else's files deletes nothing). A state from before tags existed deletes nothing either.
    func deleteFiles(of job: ProviderBatchState.Job, status: ProviderBatchStatus?, context: ExchangeContext) throws(VQError) -> Int {
        guard let name = job.uploadName, let nonce = job.nonce else { return 0 }
        var ids: [String] = []
        if let input = job.inputFileID, try fileObject(input, context: context)?["filename"] as? String == name { ids.append(input) }
        if let batch = job.batchID, let status, !status.resultLocations.isEmpty {
            let body = try calls.call(
                HTTPRequest(method: "GET", url: calls.url("/batches/\(batch)"), headers: [("Accept", "application/json")]),
                authHeader: nil, context: context, step: "batch status")
            let tag = (try calls.object(body, step: "/batches/\(batch)")["metadata"] as? [String: Any])?[Self.jobTag] as? String
            if tag == nonce { ids += status.resultLocations }
        }
        for id in ids { try deleteFile(id, context: context) }
        return ids.count
    }

    /// `GET /files/{id}`: the file object, nil when it is gone.
    private func fileObject(_ id: String, context: ExchangeContext) throws(VQError) -> [String: Any]? {
        do {
            let body = try calls.call(
                HTTPRequest(method: "GET", url: calls.url("/files/\(id)"), headers: [("Accept", "application/json")]),
                authHeader: nil, context: context, step: "file \(id)")
            return try calls.object(body, step: "/files/\(id)")
        } catch  where error.category == .config {
            return nil  // 404: deleted already
        }
    }

    /// `DELETE /files/{id}`; a file already gone counts as deleted.
    private func deleteFile(_ id: String, context: ExchangeContext) throws(VQError) {
        do {
            _ = try calls.call(
                HTTPRequest(method: "DELETE", url: calls.url("/files/\(id)"), headers: [("Accept", "application/json")]),
                authHeader: nil, context: context, step: "deleting file \(id)")
        } catch  where error.category == .config {
            return  // 404: deleted already (by an earlier run interrupted before it recorded so)
        }
    }

    /// Calls `body` with each object of an OpenAI list (newest first), page after page (`after` cursor), until it
    /// returns false or the list ends.
    private func forEachListed(
        _ path: String, step: String, context: ExchangeContext, _ body: ([String: Any]) -> Bool
    ) throws(VQError) {
        var after: String?
        while true {
            let tail = path + (after.map { "&after=\(PercentEncoding.encode($0, allowing: PercentEncoding.queryAllowed))" } ?? "")
            let data = try calls.call(
                HTTPRequest(method: "GET", url: calls.url(tail), headers: [("Accept", "application/json")]),
                authHeader: nil, context: context, step: step)
            let page = try calls.object(data, step: step)
            for object in page["data"] as? [[String: Any]] ?? [] where !body(object) { return }
            guard page["has_more"] as? Bool == true, let last = page["last_id"] as? String ?? (page["data"] as? [[String: Any]])?.last?["id"] as? String,
                last != after
            else { return }
            after = last
        }
    }
}
