import Foundation
import Transport
import VisionQuery

/// An answer sink for tests: keeps every text delta and returned image in order.
final class RecordingSink: AnswerSink {
    private(set) var texts: [String] = []
    private(set) var images: [ReturnedImage] = []
    func receive(text: String) { texts.append(text) }
    func receive(image: ReturnedImage) { images.append(image) }
}

extension Provider {
    /// Decodes one SSE event given only its data.
    func decode(_ data: String, event: String? = nil) -> [StreamEvent] { decodeStreamEvent(SSEEvent(event: event, data: data)) }
}
