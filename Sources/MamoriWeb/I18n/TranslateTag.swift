import Leaf
import LeafKit
import MamoriCore

/// `#t("key")` or `#t("key", "name", value, …)`: a text of the locale catalog in the page's language.
///
/// The language comes from the `lang` value every page context carries at its top level, so templates
/// can be rendered without a request (as the snapshot tests do). The result is escaped like any
/// other Leaf output.
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
    var arguments: [String: String] = [:]
    var rest = ctx.parameters.dropFirst()
    while let name = rest.popFirst()?.string {
      arguments[name] = rest.popFirst()?.string ?? ""
    }
    return .string(catalog.text(key, language, arguments))
  }
}
