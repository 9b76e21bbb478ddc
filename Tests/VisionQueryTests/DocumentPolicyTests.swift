import Foundation
import Imaging
import XCTest

@testable import VisionQuery

/// Which route a PDF takes, decided from the profile and `--pdf` in one place.
final class DocumentPolicyTests: XCTestCase {
    private func policy(_ api: APIKind, pdf: DocumentRoute? = nil, choice: DocumentChoice = .auto) throws -> DocumentPolicy {
        var profile = Profile(name: "p", api: api)
        profile.pdf = pdf
        var options = QueryOptions()
        options.pdf = choice
        return try DocumentPolicy(profile: profile, options: options)
    }

    func testServicesThatReadPDFsGetThemWholeAndTheOthersRendered() throws {
        for api in [APIKind.openai, .openaiResponses, .anthropic, .gemini] {
            XCTAssertEqual(try policy(api).route, .native, "\(api)")
        }
        for api in [APIKind.ollama, .masterpiecex] {
            XCTAssertEqual(try policy(api).route, .render, "\(api)")
        }
        XCTAssertEqual(try policy(.openai, pdf: .render).route, .render)
        XCTAssertEqual(try policy(.anthropic, choice: .render).route, .render)
    }

    func testOnlyAProfileThatSaysNothingFallsBackWhenTheFilePartIsRefused() throws {
        XCTAssertTrue(try policy(.openai).rendersWhenRefused)
        XCTAssertFalse(try policy(.openai, pdf: .native).rendersWhenRefused)
        XCTAssertFalse(try policy(.openai, choice: .native).rendersWhenRefused)
        XCTAssertFalse(try policy(.openai).rendering.rendersWhenRefused)
        XCTAssertTrue(try policy(.openai, pdf: .native).rendersOverLimits, "--pdf auto renders over the limits")
        XCTAssertFalse(try policy(.openai, choice: .native).rendersOverLimits)
    }

    func testNativeWhereTheApiReadsNoPDFsIsAnError() {
        XCTAssertThrowsError(try policy(.ollama, choice: .native)) { XCTAssertEqual(($0 as? VQError)?.category, .usage) }
        XCTAssertThrowsError(try policy(.masterpiecex, pdf: .native)) { XCTAssertEqual(($0 as? VQError)?.category, .config) }
    }

    func testTheBuiltInProfilesSayHowTheirServicesTakePDFs() {
        let routes = Dictionary(uniqueKeysWithValues: BuiltinProfiles.all.map { ($0.name, $0.pdf) })
        XCTAssertEqual(routes["openai"], .native)
        XCTAssertEqual(routes["openrouter"], .native)
        for name in ["scaleway", "segmind", "aihubmix", "masterpiecex", "ollama"] { XCTAssertEqual(routes[name], .render, name) }
    }

    func testARefusalNamesTheFilePart() {
        XCTAssertTrue(DocumentPolicy.isFilePartRefusal(VQError(.badInput, "HTTP 400 from p: Invalid value: 'file'.")))
        XCTAssertFalse(DocumentPolicy.isFilePartRefusal(VQError(.badInput, "HTTP 400 from p: max_tokens is too large")))
        XCTAssertFalse(DocumentPolicy.isFilePartRefusal(VQError(.unavailable, "HTTP 503 from p: file store down")))
    }

    func testThePageLimitIsSaidWithTheProfile() throws {
        let anthropic = try policy(.anthropic)
        XCTAssertNil(anthropic.overLimit(pages: 100, bytes: 1000))
        XCTAssertEqual(anthropic.overLimit(pages: 101, bytes: 1000), "101 pages, over profile 'p''s limit of 100 pages per request")
        XCTAssertNotNil(anthropic.overLimit(pages: 1, bytes: 30_000_000), "32 MB counted as base64")
    }
}
