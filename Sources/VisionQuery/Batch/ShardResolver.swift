/// Decides which shard a `vq batch` process is. Sharding happens only when asked: `--shard K/N`, or `--shard-count N`
/// with this task's 0-based index read from the environment (`SLURM_ARRAY_TASK_ID`, else `JOB_COMPLETION_INDEX`, or
/// the variable `--shard-from-env VAR` names). The count is always the number the user gave, never the scheduler's
/// idea of the array (a retried task or a second submission would change it); the index is used as it is, so arrays
/// are numbered 0 to N-1.
public enum ShardResolver {
    /// The variables read when `--shard-count` is given without `--shard-from-env`, in this order.
    public static let indexVariables = ["SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"]

    /// The shard to process, or nil when no shard option was given (whatever the environment holds).
    public static func resolve(
        shard: Shard?, count: Int?, indexVariable: String?,
        environment: [String: String]
    ) throws(VQError) -> Shard? {
        if let shard {
            if let count, count != shard.count {
                throw VQError(.usage, "'--shard \(shard.index)/\(shard.count)' and '--shard-count \(count)' disagree on the number of shards; give one of them")
            }
            if let indexVariable {
                throw VQError(
                    .usage,
                    "'--shard \(shard.index)/\(shard.count)' gives the index, '--shard-from-env \(indexVariable)' would read it from the environment; give one of them"
                )
            }
            return shard
        }
        guard let count else {
            if let indexVariable {
                throw VQError(
                    .usage, "'--shard-from-env \(indexVariable)' needs '--shard-count N', the total number of shards (it is never taken from the scheduler)")
            }
            return nil
        }
        let (variable, text) = try indexSource(count: count, named: indexVariable, environment: environment)
        guard !text.isEmpty, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let index = Int(text) else {
            throw VQError(.usage, "\(variable)='\(text)' is not a shard index: expected a whole number from 0 to \(count - 1)")
        }
        guard index < count else {
            throw VQError(
                .usage,
                "\(variable)=\(index) is not below '--shard-count \(count)': shard indexes are 0-based, from 0 to \(count - 1)"
                    + (variable == "SLURM_ARRAY_TASK_ID" ? " (submit the array as --array=0-\(count - 1))" : ""))
        }
        return Shard(index: index, count: count)
    }

    /// The variable holding this task's index and its value.
    private static func indexSource(count: Int, named: String?, environment: [String: String]) throws(VQError) -> (String, String) {
        if let named {
            guard let value = environment[named] else {
                throw VQError(.usage, "'--shard-from-env \(named)': \(named) is not set in the environment")
            }
            return (named, value)
        }
        let present = indexVariables.compactMap { name in environment[name].map { (name, $0) } }
        guard let first = present.first else {
            throw VQError(
                .usage,
                "'--shard-count \(count)' needs this task's index, but neither \(indexVariables.joined(separator: " nor ")) is set; give '--shard K/\(count)' or '--shard-from-env VAR'"
            )
        }
        if present.contains(where: { $0.1 != first.1 }) {
            let values = present.map { "\($0.0)=\($0.1)" }.joined(separator: " and ")
            throw VQError(.usage, "\(values) disagree on this task's shard index; pick one with '--shard-from-env VAR'")
        }
        return first
    }
}
