import Foundation
import TestSupport

extension EndToEndCase {
    /// Runs `vq ARGS` on a pseudo-terminal (the controlling terminal of its session, so Ctrl-C is a signal) with the
    /// stub config, following `steps` (wait for text, then type), then reads to the end; returns everything the
    /// terminal showed followed by "exit N". TERM is `dumb` (plain lines) unless `env` says otherwise.
    func driveTerminal(
        _ arguments: [String], baseURL: String, env: [String: String] = [:], steps: [(until: String, type: String)]
    ) throws -> String {
        let config = try writeConfig(baseURL: baseURL)
        let driver = directory.appendingPathComponent("drive.py")
        try Self.ptyDriver.write(to: driver, atomically: true, encoding: .utf8)
        let plan = try JSONSerialization.data(withJSONObject: steps.map { [$0.until, $0.type] })
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", driver.path, String(decoding: plan, as: UTF8.self), VQProcess.executable.path] + arguments
        process.currentDirectoryURL = directory
        var environment = [
            "PATH": "/usr/bin:/bin", "HOME": directory.path, "VQ_CONFIG": config, "STUB_KEY": EndToEndCase.key, "TERM": "dumb",
            "LANG": "C.UTF-8", "XDG_STATE_HOME": directory.appendingPathComponent("state").path,
        ]
        environment.merge(env) { _, new in new }
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let transcript = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return transcript
    }

    /// Drives a program on a pseudo-terminal: argv[1] is a JSON list of [text to wait for, text to type]; waits on
    /// the output (no sleeps), then reads to the end and prints the transcript and "exit N".
    private static let ptyDriver = #"""
        import json, os, pty, select, sys, time
        steps = json.loads(sys.argv[1])
        pid, fd = pty.fork()
        if pid == 0:
            os.execv(sys.argv[2], sys.argv[2:])
        seen = b""
        def until(token, seconds=30):
            """Reads until `token` appears after what earlier steps consumed, or fails after `seconds`."""
            global seen
            deadline = time.time() + seconds
            while token not in seen:
                left = deadline - time.time()
                ready, _, _ = select.select([fd], [], [], max(left, 0))
                chunk = b""
                if ready:
                    try:
                        chunk = os.read(fd, 4096)
                    except OSError:
                        pass
                if not chunk:
                    sys.stdout.write(seen.decode("utf-8", "replace") + "\nno %r after %d s\n" % (token, seconds))
                    os.kill(pid, 9)
                    sys.exit(2)
                seen += chunk
        done = b""
        for wanted, typed in steps:
            until(wanted.encode())
            cut = seen.index(wanted.encode()) + len(wanted.encode())
            done, seen = done + seen[:cut], seen[cut:]
            os.write(fd, typed.encode())
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        _, status = os.waitpid(pid, 0)
        sys.stdout.write((done + seen).decode("utf-8", "replace"))
        sys.stdout.write("\nexit %d\n" % os.waitstatus_to_exitcode(status))
        """#
}
