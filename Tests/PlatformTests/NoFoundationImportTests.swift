import XCTest

/// vq's own targets must not import Foundation (or its ICU-carrying parts): one such import links all of
/// swift-corelibs-foundation and ICU's data (about 45 MB) back into the binary and slows every start. They import
/// FoundationEssentials and Platform instead; tests may use Foundation.
final class NoFoundationImportTests: XCTestCase {
    private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func testNoSourceFileImportsFoundation() throws {
        let forbidden = try Regex(
            #"^\s*(@\w+\s+)*((public|package|internal|fileprivate|private)\s+)?import\s+(struct\s+|class\s+|enum\s+|func\s+)?(Foundation|FoundationInternationalization|FoundationNetworking|FoundationXML|CoreFoundation)(\.|\s|$)"#
        )
        var offenders: [String] = []
        let sources = root.appendingPathComponent("Sources")
        let walker = FileManager.default.enumerator(atPath: sources.path)!
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".swift") else { continue }
            let text = try String(contentsOf: sources.appendingPathComponent(relative), encoding: .utf8)
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(forbidden) {
                offenders.append("Sources/\(relative):\(number + 1): \(line)")
            }
        }
        XCTAssertEqual(offenders, [], "use FoundationEssentials (and Platform's replacements) instead")
    }

    /// Every Swift target under Sources hides the members of modules it does not import (MemberImportVisibility), so
    /// Foundation's String extensions cannot reach it through TOMLKit, which imports Foundation.
    func testEverySourceTargetHidesUnimportedMembers() throws {
        let manifest = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let targets = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Sources").path).filter { name in
            let files = (try? FileManager.default.subpathsOfDirectory(atPath: root.appendingPathComponent("Sources/\(name)").path)) ?? []
            return files.contains { $0.hasSuffix(".swift") }
        }
        XCTAssertFalse(targets.isEmpty)
        for target in targets {
            let declaration = manifest.split(separator: "\n").first {
                $0.contains("name: \"\(target)\"") && $0.contains("Target") || $0.contains(".target(name: \"\(target)\"")
            }
            XCTAssertTrue(declaration?.contains("swiftSettings: withoutFoundation") == true, "\(target): add swiftSettings: withoutFoundation in Package.swift")
        }
    }
}
