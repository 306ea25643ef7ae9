import Foundation

extension AnalysisSettings {
    /// These settings with the command line's overrides applied: each given value
    /// replaces the file's, and nil keeps it.
    public func overriding(minEnterprises: Int? = nil, tierTags: [String]? = nil) -> AnalysisSettings {
        var settings = self
        if let minEnterprises { settings.minEnterprises = minEnterprises }
        if let tierTags { settings.tierTags = tierTags }
        return settings
    }

    /// Splits a command-line tag list such as `上市公司,专精特新` (also `，`, `、`, `;`
    /// or `；` between tags) into tags, trimmed, without empty ones or repeats.
    public static func parseTagList(_ text: String) -> [String] {
        var tags: [String] = []
        for part in text.split(whereSeparator: { ",，、;；".contains($0) }) {
            let tag = part.trimmingCharacters(in: .whitespaces)
            if !tag.isEmpty && !tags.contains(tag) { tags.append(tag) }
        }
        return tags
    }
}
