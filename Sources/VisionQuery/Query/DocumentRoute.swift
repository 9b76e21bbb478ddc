import FoundationEssentials

/// How a document reaches the service: whole (the service reads the PDF itself) or as rendered page images.
public enum DocumentRoute: String, Sendable, CaseIterable {
    case native
    case render
}

/// `--pdf`: the route asked for; `auto` takes the profile's (`pdf = …`, else what its api reads natively) as long
/// as the service's page and size limits allow it, else renders.
public enum DocumentChoice: String, Sendable, CaseIterable {
    case native
    case render
    case auto
}
