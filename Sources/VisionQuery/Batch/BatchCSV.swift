import FoundationEssentials
import Platform
import TextFormatting

/// `vq batch --format csv`: one RFC 4180 row per image (`image`, then each top-level schema property, or `output`
/// without a schema, then `error`), the header once at the top. Arrays become their items joined with `; `;
/// objects, their JSON text; null, an empty field. Rows end in CRLF; a field with a comma, quote or line break
/// is quoted, quotes doubled. A cell a spreadsheet would run as a formula gets a leading `'` (see `CSVCell`) unless
/// `--csv-raw`; NUL bytes never reach a cell.
public struct BatchCSV: Sendable {
    /// Every column, in order.
    public let columns: [String]
    /// Whether the middle columns are schema properties (else the one `output` column holds the text).
    private let propertyColumns: Bool
    /// Cells starting with a formula character get a leading `'` (off with `--csv-raw`).
    public let neutralisesFormulas: Bool

    /// The columns for a run with `schema` (nil: the answer text as `output`).
    public init(schema: AnswerSchema?, neutralisesFormulas: Bool = true) {
        columns = ["image"] + (schema?.columns ?? ["output"]) + ["error"]
        propertyColumns = schema != nil
        self.neutralisesFormulas = neutralisesFormulas
    }

    /// The header row.
    public var header: Data { row(columns) }

    /// The row for one image.
    public func row(for result: BatchResult) -> Data {
        var fields = [result.image]
        for column in columns.dropFirst().dropLast() {
            if propertyColumns {
                fields.append(result.structuredOutput?[column].map(Self.field) ?? "")
            } else {
                fields.append(result.error == nil ? result.output ?? "" : "")
            }
        }
        fields.append(result.error?.message ?? "")
        return row(fields)
    }

    /// One row of cells, each made safe as this run asks.
    private func row(_ cells: [String]) -> Data {
        Self.row(cells.map { CSVCell.safe($0, neutralisingFormulas: neutralisesFormulas) })
    }

    /// A value as one CSV field.
    static func field(_ value: OrderedJSON) -> String {
        switch value {
        case .null: ""
        case .string(let text): text
        case .array(let items): items.map { if case .string(let text) = $0 { text } else { field($0) } }.joined(separator: "; ")
        default: value.text
        }
    }

    /// Fields quoted where RFC 4180 needs it, joined, CRLF at the end.
    static func row(_ fields: [String]) -> Data {
        var line = fields.map { field -> String in
            guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
            return "\"" + field.replacingScalars("\"", with: "\"\"") + "\""
        }.joined(separator: ",")
        line += "\r\n"
        return Data(line.utf8)
    }

    /// The complete records of `data` (a torn last one, without its line end, is left out), each with the bytes it
    /// spans including its line end.
    static func records(_ data: Data) -> [(fields: [String], bytes: Range<Int>)] {
        let bytes = [UInt8](data)
        var records: [(fields: [String], bytes: Range<Int>)] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var start = 0
        var index = 0
        var quoted = false
        while index < bytes.count {
            let byte = bytes[index]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") && field.isEmpty {
                quoted = true
            } else if byte == UInt8(ascii: ",") {
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
            } else if byte == 0x0A || byte == 0x0D {
                if byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A { index += 1 }
                fields.append(String(decoding: field, as: UTF8.self))
                records.append((fields, start..<index + 1))
                fields = []
                field = []
                start = index + 1
            } else {
                field.append(byte)
            }
            index += 1
        }
        return records
    }
}

extension BatchCSV {
    /// The header to write before the first row: always on stdout (`file` nil); for an `--out` file only when it is
    /// empty. A file whose first row is another header (another schema, a JSON Lines file) is refused before
    /// anything is sent, so rows of two shapes never share a file.
    public func headerToWrite(in file: LockedOutputFile?) throws(VQError) -> Data? {
        guard let file else { return header }
        let start = try file.contents(limit: 64 * 1024)
        if start.isEmpty { return header }
        let first = Self.records(start).first?.fields ?? []
        guard first == columns.map({ CSVCell.safe($0, neutralisingFormulas: neutralisesFormulas) }) else {
            throw VQError(.usage, "\(file.path): its first row is not this run's CSV header (\(columns.joined(separator: ","))); give another --out file")
        }
        return nil
    }

    /// For `--resume`: the header and the first successful row of each image (matched by `image`); failed rows and a
    /// torn last row are dropped, so their images are done again and appear once.
    func journal(_ data: Data) -> (answered: AnsweredImages, kept: Data) {
        var answered = AnsweredImages()
        var kept = Data()
        let records = Self.records(data)
        let safeColumns = columns.map { CSVCell.safe($0, neutralisingFormulas: neutralisesFormulas) }
        guard let header = records.first, header.fields == safeColumns else { return (answered, data) }
        kept.append(data[header.bytes])
        for record in records.dropFirst() where record.fields.count == columns.count && record.fields.last == "" {
            let image = neutralisesFormulas ? CSVCell.original(record.fields[0]) : record.fields[0]
            guard answered.insert(key: nil, image: image) else { continue }
            kept.append(data[record.bytes])
        }
        return (answered, kept)
    }
}
