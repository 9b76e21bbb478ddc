/// Entry point placeholder.
public enum CLI { public static func run(_ argv: [String]) -> Int32 { 0 } }
