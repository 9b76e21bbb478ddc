import FoundationEssentials
import Transport

/// Stands between an exchange and its sink: an image the service left at a URL (`ReturnedImage.link`) is
/// downloaded (without the key: the URL is the service's signed link), bounded to 64 MiB, and passed on as bytes;
/// everything else passes through.
final class LinkedImageFetcher: AnswerSink {
    private let sink: AnswerSink
    private let client: HTTPClient
    private let transfer: TransferOptions

    init(sink: AnswerSink, client: HTTPClient, transfer: TransferOptions) {
        self.sink = sink
        self.client = client
        self.transfer = transfer
    }

    func receive(text: String) { sink.receive(text: text) }
    func receive(revisedPrompt: String) { sink.receive(revisedPrompt: revisedPrompt) }
    func progress(_ line: String) { sink.progress(line) }
    func debug(_ line: String) { sink.debug(line) }

    func receive(image: ReturnedImage) {
        guard case .link(let url) = image else { return sink.receive(image: image) }
        let shown = URLRedactor.redact(String(url.prefix(200)))
        guard url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") else {
            return sink.receive(image: .undecodable("a returned image link is not an http(s) URL: \(shown)"))
        }
        sink.debug("downloading the returned image \(shown)")
        do {
            let (head, body) = try client.fetch(HTTPRequest(method: "GET", url: url), options: transfer)
            guard (200..<300).contains(head.status) else {
                return sink.receive(image: .undecodable("the returned image \(shown) could not be downloaded (HTTP \(head.status))"))
            }
            sink.receive(image: .decoded(data: body, mimeHint: head.headers["content-type"], sourceURL: url))
        } catch {
            sink.receive(image: .undecodable("the returned image \(shown) could not be downloaded (\(error.description))"))
        }
    }
}
