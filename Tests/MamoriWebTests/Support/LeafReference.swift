import Foundation
import Leaf
import LeafKit
import MamoriCore
import NIOCore
import Testing
import Vapor

@testable import MamoriWeb

/// LeafKit, as the reference the compiled templates are held to: every snapshot is rendered by both
/// and must come out byte for byte the same (decision 94).
enum LeafReference {
  static func render<Context: Encodable>(
    _ app: Application, _ template: String, _ context: Context, directory: URL? = nil
  ) async throws -> String {
    let views = (directory ?? URL(fileURLWithPath: app.mamori.settings.resourcesDirectory).appendingPathComponent("Views")).path + "/"
    let renderer = LeafRenderer(
      configuration: LeafConfiguration(rootDirectory: views),
      tags: defaultTags.merging(["t": TranslateTag(catalog: app.mamori.catalog)]) { $1 },
      sources: .singleSource(NIOLeafFiles(fileio: app.fileio, sandboxDirectory: views, viewDirectory: views)),
      eventLoop: app.eventLoopGroup.next())
    let view = try await renderer.render(template, context).get()
    return String(buffer: view.data)
  }

  /// Renders with LeafKit and records an issue where the compiled template's output differs.
  static func check<Context: Encodable>(
    _ app: Application, _ template: String, _ context: Context, compiled: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let reference = try await render(app, template, context)
    guard reference != compiled else { return }
    let a = Array(reference.utf8)
    let b = Array(compiled.utf8)
    let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
    let from = max(0, first - 80)
    let expected = String(decoding: a[from..<min(a.count, first + 80)], as: UTF8.self)
    let found = String(decoding: b[from..<min(b.count, first + 80)], as: UTF8.self)
    Issue.record(
      "\(template): the compiled template differs from LeafKit at byte \(first)\nLeafKit:  \(expected)\ncompiled: \(found)",
      sourceLocation: sourceLocation)
  }
}


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
