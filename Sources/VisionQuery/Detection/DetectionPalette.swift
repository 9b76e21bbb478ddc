import Imaging

/// The colours objects are drawn in: one per label, in the order labels first appear, ten well-told-apart hues
/// (Tableau 10) repeated after the tenth.
public enum DetectionPalette {
    public static let colors: [ImageCanvas.Color] = [
        .init(31, 119, 180), .init(255, 127, 14), .init(44, 160, 44), .init(214, 39, 40), .init(148, 103, 189),
        .init(140, 86, 75), .init(227, 119, 194), .init(127, 127, 127), .init(188, 189, 34), .init(23, 190, 207),
    ]

    /// The colour of the `index`th label.
    public static func color(_ index: Int) -> ImageCanvas.Color { colors[index % colors.count] }
}
