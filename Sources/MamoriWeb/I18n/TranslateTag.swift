import Leaf
import LeafKit
import MamoriCore

/// `#t("key")` or `#t("key", "name", value, …)`: a text of the locale catalog in the page's language.
///
/// The language comes from the `lang` value every page context carries at its top level, so templates
/// can be rendered without a request (as the snapshot tests do). The result is escaped like any
/// other Leaf output.
///
/// A count is passed as a number (`#t("assessments.items_count", "count", catalog.items)`); a text that
/// counts it with a plural form (`{count, plural, one {# item} other {# items}}`) then picks the form of
/// the page's language. A count that is missing or not a whole number is a template error, caught by
/// the snapshot tests rather than shown as "1 items".
struct TranslateTag: LeafTag {
  let catalog: LocaleCatalog

  func render(_ ctx: LeafContext) throws -> LeafData {
    guard let key = ctx.parameters.first?.string else {
      throw LeafError(.unknownError("#t() needs a catalog key as its first parameter"))
    }
    guard catalog.has(key) else {
      throw LeafError(.unknownError("#t(): \(key) is not in the locale catalog"))
    }
    let language = ctx.data["lang"]?.string.flatMap(Language.init(rawValue:)) ?? .default
    let template = catalog.texts[language]?[key] ?? ""
    // Most texts are plain: a page calls this tag dozens of times, so those skip the message parser.
    if ctx.parameters.count == 1, !template.contains("{") { return .string(template) }
    var arguments: [String: String] = [:]
    var rest = ctx.parameters.dropFirst()
    while let name = rest.popFirst()?.string {
      let value = rest.popFirst()
      arguments[name] = value.flatMap { $0.celf == .int ? $0.int.map(String.init) : nil } ?? value?.string ?? ""
    }
    for name in LocaleCatalog.pluralNames(in: template) where MessageFormat.count(arguments[name]) == nil {
      throw LeafError(.unknownError("#t(\"\(key)\"): the count \(name) must be a whole number, found \(arguments[name].map { "\"\($0)\"" } ?? "nothing")"))
    }
    return .string(catalog.text(key, language, arguments))
  }
}
