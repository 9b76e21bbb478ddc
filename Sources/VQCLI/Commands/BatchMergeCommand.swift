import FoundationEssentials
import Glibc
import VisionQuery

/// `vq batch merge FILE...`: writes the output files of a sharded batch to stdout, in shard order, once they prove
/// complete (see `ShardMerge`); otherwise writes nothing and names the missing or unfinished shards.
struct BatchMergeCommand {
    let files: [String]
    let console: Console

    func run() throws(VQError) -> Int32 {
        let merge = try ShardMerge(checking: files)
        try merge.write { FileDescriptorWriter.writeAll(STDOUT_FILENO, $0) }
        let shards = merge.parts.count
        let failed = merge.parts.filter { $0.failed > 0 }
        guard failed.isEmpty else {
            let named = failed.map { "\($0.path) (\($0.failed))" }.joined(separator: ", ")
            console.warning(
                "all \(shards) shards are complete, but \(merge.failed) line(s) failed: \(named); run those shards again with --resume to retry them")
            return ExitCode.partialFailure.rawValue
        }
        console.notice("merged \(shards) complete shard(s), \(merge.parts.reduce(0) { $0 + $1.record.images }) image(s)")
        return ExitCode.success.rawValue
    }
}
