import Foundation
import XCTest

@testable import VisionQuery

/// A template written by `--save` reads back as the same settings, whatever its text holds.
final class TemplateSavingTests: XCTestCase {
    func testEveryKeyAndAwkwardTextReadBackTheSame() throws {
        var settings = TemplateSettings()
        settings.prompt = "Line one with \"quotes\" and a \\ backslash\\\n\"\"\" fence\ttab\r\nend \u{1B}[31m\""
        settings.system = "One line \\n not a break"
        settings.schema = "caption, tags [string]"
        settings.profile = "scaleway"
        settings.model = "pixtral-12b-2409"
        settings.temperature = 0.7
        settings.topP = 1
        settings.maxTokens = 300
        settings.stop = ["END", "a \"b\""]
        settings.detail = .high
        settings.modalities = ["text", "image"]
        settings.maxSide = 1024
        settings.maxPixels = 2_000_000
        settings.quality = 90
        settings.timeout = 12.5
        settings.stallTimeout = 30
        settings.retries = 3
        settings.retryMaxWait = 0.25
        let lines = settings.tomlLines
        XCTAssertEqual(lines.map { String($0.prefix { $0 != " " }) }, TemplateSettings.knownKeys, "every key, in order")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vq-template-\(UUID().uuidString).toml")
        defer { try? FileManager.default.removeItem(at: file) }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        XCTAssertEqual(try TemplateSettings.load(path: file.path), settings)
    }

    func testOnlyTheGivenOptionsAreKept() {
        var options = QueryOptions()
        options.system = "Be brief."
        options.json = true  // not a template key: not kept
        let settings = TemplateSettings(options: options, prompt: nil)
        XCTAssertEqual(settings.tomlLines, ["system = \"Be brief.\""])
        XCTAssertTrue(TemplateSettings(options: QueryOptions(), prompt: nil).isEmpty)
    }

    func testTemplateNames() {
        for name in ["alt", "alt-text_2", "X"] { XCTAssertTrue(TemplateCatalog.isValidName(name), name) }
        for name in ["", "a b", "a/b", "../x", "é", "a.b"] { XCTAssertFalse(TemplateCatalog.isValidName(name), name) }
    }
}
