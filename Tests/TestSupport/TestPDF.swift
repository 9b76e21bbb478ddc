import Foundation

/// Builds small, valid PDFs byte by byte (with a correct cross-reference table) for the document tests, and runs
/// the poppler-utils and qpdf programs `make deps` installs on them.
public enum TestPDF {
    /// One page. Drawn in the page's own (unrotated) coordinates, origin at the bottom left, in points:
    /// a black square 36...180 x 36...180 (the bottom-left corner), `text` in 36-point Helvetica with its
    /// baseline at (72, height - 92), and with `image` a 2x2 picture (red, green over blue, yellow) filling
    /// 306...506 x 300...500. A `photo` (JPEG bytes and their pixel size) is drawn first, filling the page.
    public struct Page: Sendable {
        public var width: Double
        public var height: Double
        public var rotate: Int
        public var text: String?
        public var image: Bool
        public var photo: (jpeg: Data, width: Int, height: Int)?

        public init(
            width: Double = 612, height: Double = 792, rotate: Int = 0, text: String? = nil, image: Bool = false,
            photo: (jpeg: Data, width: Int, height: Int)? = nil
        ) {
            self.width = width
            self.height = height
            self.rotate = rotate
            self.text = text
            self.image = image
            self.photo = photo
        }
    }

    /// The pixel colours of `Page.image`, rows top to bottom.
    public static let imageColours: [[UInt8]] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 0]]

    /// A PDF of `pages`; `declaredCount` overrides the page tree's /Count (a lying file).
    public static func make(_ pages: [Page], declaredCount: Int? = nil) -> Data {
        var objects: [Data] = []
        func add(_ text: String, stream: Data? = nil) -> Int {
            var object = Data(text.utf8)
            if let stream { object += Data("\nstream\n".utf8) + stream + Data("\nendstream".utf8) }
            objects.append(object)
            return objects.count
        }
        let catalog = add("")  // filled in once the page tree's number is known
        let font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        let pixels = Data(imageColours.flatMap { $0 })
        let image = add(
            "<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
                + "/Length \(pixels.count) >>", stream: pixels)
        let tree = objects.count + 1 + pages.reduce(0) { $0 + ($1.photo == nil ? 2 : 3) }
        var kids: [Int] = []
        for page in pages {
            var content = ""
            var photo = ""
            if let picture = page.photo {
                let object = add(
                    "<< /Type /XObject /Subtype /Image /Width \(picture.width) /Height \(picture.height) /ColorSpace /DeviceRGB "
                        + "/BitsPerComponent 8 /Filter /DCTDecode /Length \(picture.jpeg.count) >>", stream: picture.jpeg)
                content += "q \(format(page.width)) 0 0 \(format(page.height)) 0 0 cm /Photo Do Q\n"
                photo = " /Photo \(object) 0 R"
            }
            content += "0 0 0 rg 36 36 144 144 re f\n"
            if let text = page.text {
                let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "(", with: "\\(")
                    .replacingOccurrences(of: ")", with: "\\)")
                content += "BT /F1 36 Tf 72 \(format(page.height - 92)) Td (\(escaped)) Tj ET\n"
            }
            if page.image { content += "q 200 0 0 200 306 300 cm /Im1 Do Q\n" }
            let stream = add("<< /Length \(content.utf8.count) >>", stream: Data(content.utf8))
            let rotate = page.rotate == 0 ? "" : " /Rotate \(page.rotate)"
            kids.append(
                add(
                    "<< /Type /Page /Parent \(tree) 0 R /MediaBox [0 0 \(format(page.width)) \(format(page.height))]\(rotate) "
                        + "/Resources << /Font << /F1 \(font) 0 R >> /XObject << /Im1 \(image) 0 R\(photo) >> >> /Contents \(stream) 0 R >>"))
        }
        let count = declaredCount ?? pages.count
        let pageTree = add("<< /Type /Pages /Kids [\(kids.map { "\($0) 0 R" }.joined(separator: " "))] /Count \(count) >>")
        precondition(pageTree == tree, "page tree numbered \(pageTree), expected \(tree)")
        objects[catalog - 1] = Data("<< /Type /Catalog /Pages \(tree) 0 R >>".utf8)

        var file = Data("%PDF-1.4\n%\u{E2}\u{E3}\u{CF}\u{D3}\n".utf8)
        var offsets: [Int] = []
        for (index, object) in objects.enumerated() {
            offsets.append(file.count)
            file += Data("\(index + 1) 0 obj\n".utf8) + object + Data("\nendobj\n".utf8)
        }
        let xref = file.count
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f \n"
        for offset in offsets { table += String(format: "%010d 00000 n \n", offset) }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(catalog) 0 R >>\nstartxref\n\(xref)\n%%EOF\n"
        return file + Data(table.utf8)
    }

    /// `pdf` encrypted by qpdf (AES-256) with user password `password`.
    public static func encrypted(_ pdf: Data, password: String) throws -> Data {
        try withFiles(pdf) { input, output in
            try run("qpdf", ["--encrypt", password, "owner-\(password)", "256", "--", input.path, output.path])
        }
    }

    /// The text pdftotext (poppler-utils) finds in `pdf`.
    public static func text(of pdf: Data) throws -> String {
        try String(decoding: withFiles(pdf) { input, output in try run("pdftotext", [input.path, output.path]) }, as: UTF8.self)
    }

    /// pdfinfo's "Key: value" lines for `pdf` (with every page's size and rotation).
    public static func info(of pdf: Data) throws -> String {
        try String(
            decoding: withFiles(pdf) { input, output in
                let lines = try run("pdfinfo", ["-f", "1", "-l", "9999", input.path])
                try lines.write(to: output)
            }, as: UTF8.self)
    }

    /// Writes `pdf` to a temporary file, lets `body` write its output file, returns that file's bytes.
    private static func withFiles(_ pdf: Data, _ body: (URL, URL) throws -> Void) throws -> Data {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vq-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let input = directory.appendingPathComponent("in.pdf")
        let output = directory.appendingPathComponent("out")
        try pdf.write(to: input)
        try body(input, output)
        return try Data(contentsOf: output)
    }

    /// Runs a program found on PATH; its standard output, or an error with its standard error.
    @discardableResult
    private static func run(_ program: String, _ arguments: [String]) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestPDFToolError(message: "\(program) failed (\(process.terminationStatus)): \(String(decoding: errors, as: UTF8.self))")
        }
        return output
    }

    private static func format(_ value: Double) -> String {
        value.rounded() == value ? String(Int(value)) : String(value)
    }
}

/// A poppler-utils or qpdf run that failed (not installed: run `make deps`).
public struct TestPDFToolError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
