import TestSupport
import XCTest

/// The enterprise clouds end to end through the binary: Bedrock (SigV4 checked by botocore, the AWS event stream
/// with a bad CRC and an exception frame, credentials from the environment, ~/.aws and a Bedrock API key), Vertex AI
/// (both publishers, a token that expires mid-batch) and Azure OpenAI (deployments, api-version, v1, content filter).
final class CloudProvidersEndToEndTests: EndToEndCase {
    static let secret = "stub/secret+KEY"
    static let sessionToken = "FwoGZXIvYXdzEStubSessionToken"
    static let awsKeys = ["AWS_ACCESS_KEY_ID": "AKIDSTUBEXAMPLE", "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": sessionToken]

    override func setUpWithError() throws {
        try super.setUpWithError()
        try jpeg("a.jpg", width: 16, height: 12)
    }

    /// Runs vq with a config holding one `[profiles.cloud]` section made of `lines`.
    private func run(_ arguments: [String], profile lines: [String], env: [String: String] = [:]) throws -> VQProcess.Result {
        let path = directory.appendingPathComponent("config.toml").path
        try (["default_profile = \"cloud\"", "", "[profiles.cloud]"] + lines).joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        var environment = env
        environment["VQ_CONFIG"] = path
        return try VQProcess.run(arguments, environment: environment, directory: directory)
    }

    private func assertNoSecret(_ result: VQProcess.Result, _ secrets: [String], file: StaticString = #filePath, line: UInt = #line) {
        for secret in secrets {
            XCTAssertFalse(result.stdout.contains(secret) || result.stderr.contains(secret), "a secret was shown", file: file, line: line)
        }
    }

    // MARK: Bedrock

    private func bedrock(_ stub: BedrockStubServer, _ extra: [String] = []) -> [String] {
        ["api = \"bedrock\"", "base_url = \"\(stub.baseURL)\"", "model = \"eu.anthropic.claude-sonnet-4-20250514-v1:0\""] + extra
    }

    func testBedrockSignsEveryRequestAndStreamsTheEventStream() throws {
        let stub = try BedrockStubServer(sessionToken: Self.sessionToken)
        let env = Self.awsKeys.merging(["AWS_REGION": stub.region]) { a, _ in a }
        let streamed = try run(["-v", "Describe", "a.jpg"], profile: bedrock(stub), env: env)
        XCTAssertEqual(streamed.status, 0, streamed.stderr)
        XCTAssertEqual(streamed.stdout, "Saw 1 image(s): jpeg 16x12.\n")
        XCTAssertEqual(stub.requests.last?.path, "/model/eu.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream")
        XCTAssertEqual(stub.verifiedSignatures, 1, "botocore recomputed the signature over %253A")
        assertNoSecret(streamed, [Self.secret, Self.sessionToken])

        let whole = try run(
            ["--no-stream", "--json", "-s", "Be brief", "Describe", "a.jpg"], profile: bedrock(stub, ["region = \"\(stub.region)\""]), env: Self.awsKeys)
        XCTAssertEqual(whole.status, 0, whole.stderr)
        let object = try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any]
        XCTAssertEqual(object?["text"] as? String, "Saw 1 image(s): jpeg 16x12. System: Be brief.")
        XCTAssertEqual((object?["usage"] as? [String: Any])?["prompt_tokens"] as? Int, 120)

        let models = try run(["models"], profile: bedrock(stub), env: env)
        XCTAssertEqual(models.status, 0, models.stderr)
        XCTAssertEqual(models.stdout, "amazon.nova-lite-v1:0\nanthropic.claude-3-haiku-20240307-v1:0\n", "only models that take images")
        XCTAssertEqual(stub.verifiedSignatures, 3)

        try png("b.png", width: 5, height: 5)
        let batch = try run(["batch", "Describe", "a.jpg", "b.png", "--jobs", "2"], profile: bedrock(stub), env: env)
        XCTAssertEqual(batch.status, 0, batch.stderr)
        XCTAssertEqual(batch.stdout.split(separator: "\n").count, 2)
        XCTAssertEqual(stub.verifiedSignatures, 5)
    }

    func testBedrockCredentialsFromAWSFilesAndAPIKey() throws {
        let stub = try BedrockStubServer(accessKey: "AKIDFROMFILE", secretKey: "file-secret")
        let aws = directory.appendingPathComponent(".aws")
        try FileManager.default.createDirectory(at: aws, withIntermediateDirectories: true)
        try
            "[default]\naws_access_key_id = WRONG\naws_secret_access_key = wrong\n\n[work]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = file-secret\n"
            .write(to: aws.appendingPathComponent("credentials"), atomically: true, encoding: .utf8)
        try "[profile work]\nregion = \(stub.region)\n".write(to: aws.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let fromFiles = try run(["Describe", "a.jpg"], profile: bedrock(stub, ["aws_profile = \"work\""]))
        XCTAssertEqual(fromFiles.status, 0, fromFiles.stderr)
        XCTAssertEqual(stub.verifiedSignatures, 1)

        let viaEnvironment = try run(["Describe", "a.jpg"], profile: bedrock(stub), env: ["AWS_PROFILE": "work"])
        XCTAssertEqual(viaEnvironment.status, 0, viaEnvironment.stderr)

        let apiKey = try BedrockStubServer(bearerToken: "bedrock-api-key-123")
        let bearer = try run(
            ["Describe", "a.jpg"], profile: bedrock(apiKey, ["region = \"eu-west-3\""]), env: ["AWS_BEARER_TOKEN_BEDROCK": "bedrock-api-key-123"])
        XCTAssertEqual(bearer.status, 0, bearer.stderr)
        XCTAssertEqual(apiKey.requests.last?.header("authorization"), "Bearer bedrock-api-key-123")
        assertNoSecret(bearer, ["bedrock-api-key-123"])
    }

    func testBedrockExplainsMissingCredentialsRegionAndBadSignatures() throws {
        let stub = try BedrockStubServer()
        let noKeys = try run(["Describe", "a.jpg"], profile: bedrock(stub, ["region = \"eu-west-3\""]))
        XCTAssertEqual(noKeys.status, 77)
        XCTAssertTrue(noKeys.stderr.contains("no AWS credentials for profile 'cloud': set AWS_ACCESS_KEY_ID"), noKeys.stderr)
        let noRegion = try run(["Describe", "a.jpg"], profile: bedrock(stub), env: Self.awsKeys)
        XCTAssertEqual(noRegion.status, 78)
        XCTAssertTrue(noRegion.stderr.contains("no AWS region for profile 'cloud'"), noRegion.stderr)
        XCTAssertEqual(stub.requests.count, 0, "nothing is sent without credentials or a region")

        var wrong = Self.awsKeys
        wrong["AWS_SECRET_ACCESS_KEY"] = "not-the-secret"
        wrong["AWS_SESSION_TOKEN"] = nil
        let rejected = try run(["Describe", "a.jpg"], profile: bedrock(stub, ["region = \"eu-west-3\""]), env: wrong)
        XCTAssertEqual(rejected.status, 77)
        XCTAssertTrue(rejected.stderr.contains("HTTP 403 from cloud: The request signature we calculated does not match"), rejected.stderr)
        XCTAssertEqual(rejected.stderr.split(separator: "\n").filter { $0.hasPrefix("vq: error") }.count, 1)

        let skewed = try BedrockStubServer(
            fault: .status(
                403, type: "InvalidSignatureException",
                message: "Signature expired: 20261206T060000Z is now earlier than 20261206T061500Z (20261206T062000Z - 5 min.)"))
        let late = try run(["Describe", "a.jpg"], profile: bedrock(skewed, ["region = \"eu-west-3\""]), env: Self.awsKeys)
        XCTAssertEqual(late.status, 77)
        XCTAssertTrue(late.stderr.contains("the system clock is more than 5 minutes off"), late.stderr)
    }

    func testBedrockStreamWithBadCRCOrExceptionFrameFails() throws {
        let env = Self.awsKeys.merging(["AWS_REGION": "eu-west-3"]) { a, _ in a }
        let damaged = try BedrockStubServer(fault: .badCRC)
        let crc = try run(["--retries", "0", "Describe", "a.jpg"], profile: bedrock(damaged), env: env)
        XCTAssertEqual(crc.status, 69, crc.stderr)
        XCTAssertTrue(crc.stderr.contains("the event stream from cloud is damaged (message CRC mismatch)"), crc.stderr)
        XCTAssertEqual(crc.stdout, "Saw", "the text before the damaged frame is kept; nothing after it is trusted")

        let failing = try BedrockStubServer(fault: .exceptionInStream)
        let exception = try run(["--retries", "0", "Describe", "a.jpg"], profile: bedrock(failing), env: env)
        XCTAssertEqual(exception.status, 69, exception.stderr)
        XCTAssertTrue(
            exception.stderr.contains("cloud reported an error mid-answer: The model failed mid-answer. (modelStreamErrorException)"), exception.stderr)
    }

    // MARK: Image generation on Azure OpenAI and Vertex AI

    func testAzureMakesAndEditsImagesOnTheDeploymentAndTheV1Surface() throws {
        let stub = try AzureStubServer(deployment: "image-deploy")
        let env = ["AZ_KEY": stub.key]
        _ = try png("a.png", width: 16, height: 12)
        _ = try png("b.png", width: 8, height: 8)
        let made = try run(["gen", "a fox", "-n", "2", "--quality", "low", "-o", "out"], profile: azure(stub), env: env)
        XCTAssertEqual(made.status, 0, made.stderr)
        assertNoSecret(made, [stub.key])
        let generation = try XCTUnwrap(stub.requests.last)
        XCTAssertEqual(generation.path, "/openai/deployments/image-deploy/images/generations?api-version=2024-10-21")
        XCTAssertEqual(generation.header("api-key"), stub.key)
        let body = try XCTUnwrap(try generation.json() as? [String: Any])
        XCTAssertEqual(body["quality"] as? String, "low")
        XCTAssertEqual(body["n"] as? Int, 2)
        XCTAssertNil(body["model"], "the deployment names the model")
        let saved = try files(in: "out")
        XCTAssertEqual(saved.count, 2)
        XCTAssertEqual(try pngProvenance("out/" + saved[0])["revised_prompt"] as? String, "Azure: a fox")

        let edited = try run(["gen", "dusk", "a.png", "b.png", "--output", "edit.png"], profile: azure(stub), env: env)
        XCTAssertEqual(edited.status, 0, edited.stderr)
        let edit = try XCTUnwrap(stub.requests.last)
        XCTAssertEqual(edit.path, "/openai/deployments/image-deploy/images/edits?api-version=2024-10-21")
        let form = try XCTUnwrap(ImagesAPIStubServer.multipart(edit.body, boundary: String(edit.header("content-type")!.split(separator: "=").last!)))
        XCTAssertEqual(form["image[]"]?.count, 2, "both images in the form")
        XCTAssertNil(form["model"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: directory.appendingPathComponent("edit.png").path))

        let v1 = try run(["gen", "a fox", "-o", "v1"], profile: azure(stub, ["api_version = \"v1\"", "key_env = \"AZ_KEY\""]), env: env)
        XCTAssertEqual(v1.status, 0, v1.stderr)
        XCTAssertEqual(stub.requests.last?.path, "/openai/v1/images/generations")
        XCTAssertEqual((try stub.requests.last?.json() as? [String: Any])?["model"] as? String, "image-deploy")

        let refused = try run(["gen", "something forbidden"], profile: azure(stub), env: env)
        XCTAssertEqual(refused.status, 80, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("the content filter refused the prompt"), refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
    }

    func testVertexGeminiImageModelsMakeImagesAndClaudeSaysItCannot() throws {
        let stub = try VertexStubServer()
        let (command, _) = try tokenScript()
        let env = ["GOOGLE_CLOUD_PROJECT": stub.project]
        for (index, extra) in [[], ["--no-stream"]].enumerated() {
            let result = try run(
                ["gen", "a lighthouse at night", "--aspect", "16:9", "-o", "out\(index)"] + extra,
                profile: vertex(stub, command, model: "gemini-2.5-flash-image"),
                env: env)
            XCTAssertEqual(result.status, 0, result.stderr)
            let request = try XCTUnwrap(stub.requests.last)
            XCTAssertTrue(
                request.path.hasSuffix(
                    "/publishers/google/models/gemini-2.5-flash-image:" + (extra.isEmpty ? "streamGenerateContent?alt=sse" : "generateContent")), request.path)
            let config = try XCTUnwrap((try request.json() as? [String: Any])?["generationConfig"] as? [String: Any])
            XCTAssertEqual(config["responseModalities"] as? [String], ["TEXT", "IMAGE"])
            XCTAssertEqual((config["imageConfig"] as? [String: Any])?["aspectRatio"] as? String, "16:9")
            let saved = try files(in: "out\(index)")
            XCTAssertEqual(saved.count, 1, result.stderr)
            XCTAssertEqual(try pngProvenance("out\(index)/" + saved[0])["prompt"] as? String, "a lighthouse at night")
        }
        let before = stub.requests.count
        let claude = try run(["gen", "a fox"], profile: vertex(stub, command, model: "claude-sonnet-4-5@20250929"), env: env)
        XCTAssertEqual(claude.status, 64, claude.stderr)
        XCTAssertTrue(claude.stderr.contains("cannot make images"), claude.stderr)
        XCTAssertEqual(stub.requests.count, before, "nothing sent")
    }

    // MARK: Vertex AI

    /// A key_cmd script that counts its runs and prints `ya29.token-N`.
    private func tokenScript() throws -> (command: String, runs: () -> Int) {
        let counter = directory.appendingPathComponent("token-runs")
        let script = directory.appendingPathComponent("token.sh")
        try "n=$(( $(cat \(counter.path) 2>/dev/null || echo 0) + 1 ))\necho $n > \(counter.path)\necho ya29.token-$n\n"
            .write(to: script, atomically: true, encoding: .utf8)
        return ("sh \(script.path)", { Int((try? String(contentsOf: counter, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "0") ?? 0 })
    }

    private func vertex(_ stub: VertexStubServer, _ command: String, model: String = "gemini-2.5-flash") -> [String] {
        ["api = \"vertex\"", "base_url = \"\(stub.baseURL)\"", "model = \"\(model)\"", "key_cmd = \"\(command)\"", "location = \"\(stub.location)\""]
    }

    func testVertexServesGeminiAndClaudeFromOneProfile() throws {
        let stub = try VertexStubServer()
        let (command, _) = try tokenScript()
        let env = ["GOOGLE_CLOUD_PROJECT": stub.project]
        for arguments in [["Describe", "a.jpg"], ["--no-stream", "Describe", "a.jpg"]] {
            let gemini = try run(arguments, profile: vertex(stub, command), env: env)
            XCTAssertEqual(gemini.status, 0, gemini.stderr)
            XCTAssertEqual(gemini.stdout, "Saw 1 image(s): jpeg 16x12. Publisher: google.\n")
            let claude = try run(["-m", "claude-sonnet-4-5@20250929"] + arguments, profile: vertex(stub, command), env: env)
            XCTAssertEqual(claude.status, 0, claude.stderr)
            XCTAssertEqual(claude.stdout, "Saw 1 image(s): jpeg 16x12. Publisher: anthropic.\n")
        }
        XCTAssertTrue(
            stub.requests.map(\.path).contains(
                "/v1/projects/vq-test/locations/europe-west4/publishers/anthropic/models/claude-sonnet-4-5@20250929:streamRawPredict"))
        let noProject = try run(["Describe", "a.jpg"], profile: vertex(stub, command))
        XCTAssertEqual(noProject.status, 78)
        XCTAssertTrue(noProject.stderr.contains("no Google Cloud project for profile 'cloud'"), noProject.stderr)
    }

    /// Each token answers three requests, then expires: a batch of seven runs key_cmd three times and loses nothing.
    func testVertexTokenExpiringMidBatchIsFetchedAgain() throws {
        let stub = try VertexStubServer(tokenLifetime: 3)
        let (command, runs) = try tokenScript()
        let images = try (1...7).map { index -> String in
            try png("p\(index).png", width: 4 + index, height: 4)
            return "p\(index).png"
        }
        let batch = try run(["batch", "Describe", "--jobs", "2"] + images, profile: vertex(stub, command), env: ["GOOGLE_CLOUD_PROJECT": stub.project])
        XCTAssertEqual(batch.status, 0, batch.stderr)
        let outputs = batch.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        XCTAssertEqual(outputs.compactMap { $0["output"] as? String }.count, 7, batch.stdout)
        XCTAssertGreaterThan(stub.expiredRefusals, 0, "the stub did expire a token")
        XCTAssertEqual(runs(), 3, "one key_cmd run per token: at the start and after each expiry, shared by concurrent requests")
    }

    // MARK: Azure OpenAI

    private func azure(_ stub: AzureStubServer, _ extra: [String] = ["api_version = \"2024-10-21\"", "key_env = \"AZ_KEY\""]) -> [String] {
        ["api = \"azure\"", "base_url = \"\(stub.baseURL)\"", "model = \"\(stub.deployment)\""] + extra
    }

    func testAzureDeploymentsV1AndEntraTokens() throws {
        let stub = try AzureStubServer()
        let env = ["AZ_KEY": EndToEndCase.key]
        for arguments in [["Describe", "a.jpg"], ["--no-stream", "Describe", "a.jpg"]] {
            let deployed = try run(arguments, profile: azure(stub), env: env)
            XCTAssertEqual(deployed.status, 0, deployed.stderr)
            XCTAssertEqual(deployed.stdout, "Saw 1 image(s): jpeg 16x12. Deployment: gpt4o-vision.\n")
            assertKeyNeverShown(deployed)
        }
        let request = try XCTUnwrap(stub.requests.last)
        XCTAssertEqual(request.path, "/openai/deployments/gpt4o-vision/chat/completions?api-version=2024-10-21")
        XCTAssertEqual(request.header("api-key"), EndToEndCase.key)
        XCTAssertNil((try request.json() as? [String: Any])?["model"], "the deployment names the model")

        let v1 = try run(["Describe", "a.jpg"], profile: azure(stub, ["api_version = \"v1\"", "key_env = \"AZ_KEY\""]), env: env)
        XCTAssertEqual(v1.status, 0, v1.stderr)
        XCTAssertEqual(v1.stdout, "Saw 1 image(s): jpeg 16x12. Surface: v1.\n")

        let entra = try AzureStubServer(bearerToken: "eyJ0eXAiOiJKV1Qi.entra")
        let script = directory.appendingPathComponent("entra.sh")
        try "echo eyJ0eXAiOiJKV1Qi.entra\n".write(to: script, atomically: true, encoding: .utf8)
        let token = try run(["Describe", "a.jpg"], profile: azure(entra, ["api_version = \"2024-10-21\"", "key_cmd = \"sh \(script.path)\""]))
        XCTAssertEqual(token.status, 0, token.stderr)
        XCTAssertEqual(entra.requests.last?.header("authorization"), "Bearer eyJ0eXAiOiJKV1Qi.entra")
    }

    func testAzureContentFilterRefusalsExit80() throws {
        let stub = try AzureStubServer()
        let env = ["AZ_KEY": EndToEndCase.key]
        let prompt = try run(["Describe something forbidden", "a.jpg"], profile: azure(stub), env: env)
        XCTAssertEqual(prompt.status, 80, prompt.stderr)
        XCTAssertEqual(
            prompt.stderr.split(separator: "\n").filter { $0.hasPrefix("vq: error") },
            [
                "vq: error: HTTP 400 from cloud: the content filter refused the prompt (violence): The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry."
            ])
        for arguments in [["filterme", "a.jpg"], ["--no-stream", "filterme", "a.jpg"]] {
            let answer = try run(arguments, profile: azure(stub), env: env)
            XCTAssertEqual(answer.status, 80, answer.stderr)
            XCTAssertTrue(answer.stderr.contains("the content filter stopped the answer (finish reason content_filter)"), answer.stderr)
        }
    }

    func testAzureNamesMissingResourceDeploymentAndAPIVersion() throws {
        let stub = try AzureStubServer()
        let noVersion = try run(["config", "check"], profile: azure(stub, ["key_env = \"AZ_KEY\""]))
        XCTAssertEqual(noVersion.status, 78)
        XCTAssertTrue(noVersion.stderr.contains("no api_version for profile 'cloud'"), noVersion.stderr)
        let noDeployment = try run(["config", "check"], profile: ["api = \"azure\"", "base_url = \"\(stub.baseURL)\"", "api_version = \"2024-10-21\""])
        XCTAssertEqual(noDeployment.status, 78)
        XCTAssertTrue(noDeployment.stderr.contains("no deployment for profile 'cloud'"), noDeployment.stderr)
        let noResource = try run(["-p", "azure", "-m", "gpt4o", "Describe", "a.jpg"], profile: azure(stub), env: ["AZURE_OPENAI_API_KEY": "k"])
        XCTAssertEqual(noResource.status, 78)
        XCTAssertTrue(noResource.stderr.contains("no Azure OpenAI resource for profile 'azure'"), noResource.stderr)
        let fromEnvironment = try run(
            ["-p", "azure", "-m", stub.deployment, "Describe", "a.jpg"], profile: azure(stub),
            env: ["AZURE_OPENAI_API_KEY": EndToEndCase.key, "AZURE_OPENAI_ENDPOINT": stub.baseURL.replacingOccurrences(of: "/openai", with: "/")])
        XCTAssertEqual(fromEnvironment.status, 0, fromEnvironment.stderr)
        XCTAssertEqual(stub.requests.count, 1, "only the complete profile sent anything")
    }
}
