import Foundation

extension VQProcess {
    /// Runs vq with a pseudo-terminal as stdin, stdout and stderr, as at a shell prompt (`columns` wide when given);
    /// `stdout` holds everything the terminal showed (both streams, in order) and `stderr` is empty.
    public static func runOnTerminal(
        _ arguments: [String], environment: [String: String] = [:], directory: URL, columns: Int? = nil
    ) throws -> Result {
        let terminal = try PseudoTerminal()
        if let columns { terminal.setColumns(columns) }
        var env = ["TERM": "xterm"]
        env.merge(environment) { _, new in new }
        let process = makeProcess(arguments, environment: env, directory: directory)
        process.standardInput = terminal.terminal
        process.standardOutput = terminal.terminal
        process.standardError = terminal.terminal
        try process.run()
        terminal.closeTerminalSide()
        let shown = terminal.readAll()  // until vq (the last holder of the terminal side) has exited
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: shown, stderr: "")
    }
}
