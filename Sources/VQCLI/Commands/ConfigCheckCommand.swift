import FoundationEssentials
import VisionQuery

/// `vq config check`: parses the config file and reports every invalid profile, each error with its line.
struct ConfigCheckCommand {
    let configFlag: String?
    let environment: [String: String]
    let console: Console

    func run() throws(VQError) {
        let (path, _) = ConfigLocator.locate(flag: configFlag, environment: environment)
        let loaded = try ConfigLocator.load(flag: configFlag, environment: environment)
        let templates = try TemplateCatalog.load(config: loaded, environment: environment)  // the saved ones too
        guard let config = loaded else {
            console.out("\(path): no config file (built-in profiles apply)\n")
            return
        }
        if let last = config.invalidProfiles.last {
            for invalid in config.invalidProfiles.dropLast() { console.error(invalid.error.message) }
            throw last.error
        }
        let resolver = ProfileResolver(config: config, environment: environment)
        if let name = config.defaultProfile, !resolver.allProfiles().contains(where: { $0.name == name }) {
            let line = ConfigLineLocator(text: (try? String(contentsOfFile: path, encoding: .utf8)) ?? "").line(ofKey: "default_profile", inSection: nil)
            throw VQError(.config, "\(path):\(line): default_profile '\(name)' is not a profile")
        }
        for profile in resolver.allProfiles() where profile.baseURL.isEmpty {
            throw VQError(.config, "\(path): profile '\(profile.name)' has no base_url")
        }
        for profile in resolver.allProfiles() where profile.origin != .builtin {  // a cloud's region, project, resource…
            do throws(VQError) { _ = try profile.provider.settled(environment: environment) } catch { throw VQError(.config, "\(path): \(error.message)") }
        }
        if config.readableByOthers && config.profiles.contains(where: { $0.settings.key != nil }) {
            console.warning("\(path) contains a key and is readable by others; run: chmod 600 \(path)")
        }
        let counts = [(config.profiles.count, "profile"), (templates.entries.count, "template")].map { "\($0) \($1)\($0 == 1 ? "" : "s")" }
        console.out("\(path): ok (\(counts.joined(separator: ", ")))\n")
    }
}
