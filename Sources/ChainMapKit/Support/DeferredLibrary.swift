import CDeferred

/// The C libraries that only some commands use, loaded the first time one of them needs
/// them (Sources/CDeferred): each load says, in one wording, what is missing and how to
/// install it.
enum DeferredLibrary {
    /// libxml2, which reads the sheets of workbooks.
    case xml2
    /// libxlsxwriter, which writes every workbook.
    case xlsxwriter

    /// Loads the library (once; later calls give the first call's answer): nil when it and
    /// every function chainmap calls are there, else what is missing and what to install.
    func load() -> String? {
        var missing: UnsafePointer<CChar>?
        let loaded = switch self {
        case .xml2: chainmap_xml2_load(&missing)
        case .xlsxwriter: chainmap_xlsxwriter_load(&missing)
        }
        guard loaded == 0 else { return nil }
        let problem = missing.map { String(cString: $0) } ?? "\(name) could not be loaded"
        return "\(problem); install \(name) (Debian/Ubuntu: \(package))"
    }

    private var name: String {
        switch self {
        case .xml2: "libxml2"
        case .xlsxwriter: "libxlsxwriter"
        }
    }

    private var package: String {
        switch self {
        case .xml2: "libxml2"
        case .xlsxwriter: "libxlsxwriter-dev"
        }
    }
}
