import FoundationEssentials
import Glibc

/// A child program started with posix_spawn (what Foundation's Process did): standard input from /dev/null,
/// standard output (and optionally standard error) through pipes, everything else inherited.
public final class Subprocess {
    /// How the program ended.
    public enum Termination: Equatable, Sendable {
        case exited(Int32)
        case signalled(Int32)

        /// The exit status, or the number of the signal that ended it.
        public var status: Int32 {
            switch self {
            case .exited(let code): code
            case .signalled(let signal): signal
            }
        }
    }

    private let pid: pid_t
    /// The read ends of the pipes; -1 once closed or when standard error is inherited.
    public private(set) var standardOutput: Int32
    public private(set) var standardError: Int32

    /// Starts `executable` (a path) with `arguments` and exactly `environment`.
    public init(executable: String, arguments: [String], environment: [String: String], captureStandardError: Bool) throws(SystemError) {
        var outputPipe: [Int32] = [-1, -1]
        var errorPipe: [Int32] = [-1, -1]
        guard Self.makePipe(&outputPipe) == 0 else { throw SystemError(errno) }
        if captureStandardError, Self.makePipe(&errorPipe) != 0 {
            let failure = errno
            close(outputPipe[0])
            close(outputPipe[1])
            throw SystemError(failure)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputPipe[1], 1)
        if captureStandardError { posix_spawn_file_actions_adddup2(&actions, errorPipe[1], 2) }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(outputPipe[1])
        if captureStandardError { close(errorPipe[1]) }
        guard status == 0 else {
            close(outputPipe[0])
            if captureStandardError { close(errorPipe[0]) }
            throw SystemError(status)
        }
        pid = child
        standardOutput = outputPipe[0]
        standardError = captureStandardError ? errorPipe[0] : -1
    }

    /// A pipe whose ends are closed in programs started later (pipe2 is not in Glibc's Swift module).
    private static func makePipe(_ ends: inout [Int32]) -> Int32 {
        guard pipe(&ends) == 0 else { return -1 }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return 0
    }

    deinit {
        closeStandardOutput()
        if standardError >= 0 { close(standardError) }
    }

    /// Closes the read end of standard output (a program still writing then gets SIGPIPE).
    public func closeStandardOutput() {
        if standardOutput >= 0 { close(standardOutput) }
        standardOutput = -1
    }

    /// Sends SIGTERM.
    public func terminate() { kill(pid, SIGTERM) }

    /// Waits for the program to end.
    public func wait() -> Termination {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return signal == 0 ? .exited((status >> 8) & 0xFF) : .signalled(signal)
    }
}
