import Foundation

/// The sharding recipes exactly as README.md shows them, and what each scheduler does with them: the fenced blocks
/// of the "Sharding over many machines" section, Slurm's `--array` specs and environment, Kubernetes' `$(VAR)`.
struct ReadmeRecipes {
    /// One fenced block: its language and its lines.
    struct Block {
        let language: String
        let lines: [String]
    }

    let blocks: [Block]

    /// Reads the repository's README (found from this file's path, so the test needs nothing outside the repository).
    init() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let text = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = text.range(of: "**Sharding over many machines.**"),
            let end = text.range(of: "\n## ", range: start.upperBound..<text.endIndex)
        else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "README.md has no sharding section"])
        }
        var blocks: [Block] = []
        var open: (String, [String])?
        for line in text[start.lowerBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("```") {
                if let block = open {
                    blocks.append(Block(language: block.0, lines: block.1))
                    open = nil
                } else {
                    open = (String(line.dropFirst(3)), [])
                }
            } else if open != nil {
                open!.1.append(line)
            }
        }
        self.blocks = blocks
    }

    /// The Slurm batch script: the shell block that starts with `#!`.
    var slurmScript: [String]? { blocks.first { $0.language == "sh" && $0.lines.first?.hasPrefix("#!") == true }?.lines }

    /// `sbatch` command lines shown in shell blocks (re-submissions).
    var sbatchLines: [String] { blocks.filter { $0.language == "sh" }.flatMap(\.lines).filter { $0.hasPrefix("sbatch ") } }

    /// The shell block with the GNU parallel lines.
    var parallelLines: [String]? {
        blocks.first { $0.language == "sh" && $0.lines.contains { $0.hasPrefix("parallel ") } }?.lines.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }

    /// The `vq batch merge` line of the shell block that holds a line starting with `after` (e.g. `sbatch `, `parallel `),
    /// or of the first shell block after the Kubernetes manifest.
    func mergeLine(after marker: String) -> String? {
        let block: Block?
        if marker == "yaml" {
            block = blocks.firstIndex { $0.language == "yaml" }.flatMap { index in blocks[(index + 1)...].first { $0.language == "sh" } }
        } else {
            block = blocks.first { $0.language == "sh" && $0.lines.contains { $0.hasPrefix(marker) } }
        }
        return block?.lines.first { $0.hasPrefix("vq batch merge ") }
    }

    /// The Kubernetes Job manifest.
    var kubernetesJob: [String]? { blocks.first { $0.language == "yaml" }?.lines }
}

/// What Slurm sets in an array task's environment, from an `--array` spec (`0-7`, `5`, `0-14:2`, `0,3,5`, `0-7%2`).
enum SlurmArray {
    /// The task ids of `spec`, in order.
    static func taskIDs(_ spec: String) -> [Int] {
        let list = spec.split(separator: "%").first.map(String.init) ?? spec
        return list.split(separator: ",").flatMap { part -> [Int] in
            let stepParts = part.split(separator: ":")
            let step = stepParts.count == 2 ? Int(stepParts[1])! : 1
            let bounds = stepParts[0].split(separator: "-").map { Int($0)! }
            return bounds.count == 2 ? Array(stride(from: bounds[0], through: bounds[1], by: step)) : [bounds[0]]
        }
    }

    /// The environment of task `id` of the array `spec`, job `jobID`, as sbatch sets it.
    static func environment(task id: Int, of spec: String, jobID: Int) -> [String: String] {
        let ids = taskIDs(spec)
        let steps = spec.split(separator: ":")
        return [
            "SLURM_ARRAY_JOB_ID": "\(jobID)", "SLURM_JOB_ID": "\(jobID + 1 + id)", "SLURM_ARRAY_TASK_ID": "\(id)",
            "SLURM_ARRAY_TASK_MIN": "\(ids.min()!)", "SLURM_ARRAY_TASK_MAX": "\(ids.max()!)", "SLURM_ARRAY_TASK_COUNT": "\(ids.count)",
            "SLURM_ARRAY_TASK_STEP": steps.count == 2 ? String(steps[1]) : "1", "SLURM_JOB_NAME": "caption.sh",
        ]
    }

    /// The value of `--array=` in an `sbatch` line or an `#SBATCH` directive.
    static func spec(in line: String) -> String? {
        line.split(separator: " ").first { $0.hasPrefix("--array=") }.map { String($0.dropFirst("--array=".count)) }
    }
}

/// How Kubernetes turns a container's `command` into argv: `$(VAR)` becomes the value of a variable the container
/// defines, `$$` is a literal `$`, anything else (`$VAR` included) stays as written. No shell is involved.
enum KubernetesCommand {
    static func expand(_ argument: String, environment: [String: String]) -> String {
        var result = ""
        var rest = Substring(argument)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("$") {
                result += "$"
                rest = after.dropFirst()
            } else if after.hasPrefix("("), let close = after.firstIndex(of: ")"),
                let value = environment[String(after[after.index(after: after.startIndex)..<close])]
            {
                result += value
                rest = after[after.index(after: close)...]
            } else {
                result += "$"
                rest = after
            }
        }
        return result + rest
    }

    /// The `command:` list of the manifest (a flow sequence of double-quoted strings, which is JSON).
    static func command(in manifest: [String]) -> [String]? {
        guard let line = manifest.first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("command:") }),
            let start = line.firstIndex(of: "[")
        else { return nil }
        return try? JSONSerialization.jsonObject(with: Data(line[start...].utf8)) as? [String]
    }

    /// A text field such as `restartPolicy: Never`.
    static func field(_ field: String, in manifest: [String]) -> String? {
        manifest.lazy.map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(field + ":") }
            .map { $0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    /// A whole-number field such as `completions: 8`.
    static func number(_ field: String, in manifest: [String]) -> Int? {
        manifest.lazy.map { $0.trimmingCharacters(in: .whitespaces) }.first { $0.hasPrefix(field + ":") }
            .flatMap { Int($0.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces)) }
    }
}
