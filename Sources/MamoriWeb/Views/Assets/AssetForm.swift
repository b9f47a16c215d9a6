import Fluent
import Foundation
import MamoriCore
import Vapor

/// The form to add or edit an asset.
enum AssetFormPage {
  struct View: Encodable, Sendable {
    var isNew: Bool
    var action: String
    var cancelHref: String
    var values: [String: String]
    var errors: FieldErrors
    var forms: [PeopleIndex.View.Option]
    var levels: [PeopleIndex.View.Option]
    var owners: [PeopleIndex.View.Option]
    var technologies: [PeopleIndex.View.Option]
    var technologySource: String
    var limits: [String: Int]
  }

  struct Form: Content {
    var code: String?
    var name: String?
    var description: String?
    var form: String?
    var location: String?
    var level: String?
    var group: String?
    var owner_id: String?
    var retention: String?
    var disposal: String?
    var is_core: String?
    var core_source: String?
    var core_superiority: String?
    var core_existence: String?
    var designated_technology: String?

    var draft: AssetDraft {
      AssetDraft(
        code: code ?? "", name: name ?? "", description: description ?? "", form: form ?? "", location: location ?? "",
        level: level ?? "", group: group ?? "", retention: retention ?? "", disposal: disposal ?? "", isCore: is_core == "on",
        coreSource: core_source ?? "", coreSuperiority: core_superiority ?? "", coreExistence: core_existence ?? "",
        designatedTechnology: designated_technology ?? "")
    }

    var ownerID: UUID? { owner_id.flatMap(UUID.init(uuidString:)) }

    var values: [String: String] {
      [
        "code": code ?? "", "name": name ?? "", "description": description ?? "", "form": form ?? "",
        "location": location ?? "", "level": level ?? "", "group": group ?? "", "owner_id": (owner_id ?? "").lowercased(),
        "retention": retention ?? "", "disposal": disposal ?? "", "is_core": is_core == "on" ? "on" : "",
        "core_source": core_source ?? "", "core_superiority": core_superiority ?? "", "core_existence": core_existence ?? "",
        "designated_technology": designated_technology ?? "",
      ]
    }
  }

  static func values(of asset: Asset) -> [String: String] {
    [
      "code": asset.code, "name": asset.name, "description": asset.details, "form": asset.form.rawValue,
      "location": asset.location, "level": asset.level.rawValue, "group": asset.group,
      "owner_id": asset.$owner.id?.uuidString.lowercased() ?? "", "retention": asset.retention, "disposal": asset.disposal,
      "is_core": asset.isCore ? "on" : "", "core_source": asset.coreSource, "core_superiority": asset.coreSuperiority,
      "core_existence": asset.coreExistence, "designated_technology": asset.designatedTechnology?.rawValue ?? "",
    ]
  }

  static let newValues = ["form": AssetForm.electronic.rawValue, "level": AssetLevel.internal.rawValue]

  static func render(
    _ req: Request, asset: Asset?, values: [String: String], errors: [String: String], status: HTTPResponseStatus = .ok
  ) async throws -> Response {
    let tenant = try await req.tenant()
    let people = try await Person.query(in: tenant.organisationID, on: req.db)
      .group(.or) { $0.filter(\.$exitDate == nil).filter(\.$exitDate >= tenant.today) }
      .sort(\.$code).all()
    return try await req.renderPage(
      "asset-form", title: asset.map { req.t("assets.edit_title", ["name": $0.name]) } ?? req.t("assets.new_title"),
      body: view(asset: asset, people: people, values: values, errors: errors, req: req), status: status)
  }

  static func view(asset: Asset?, people: [Person], values: [String: String], errors: [String: String], req: Request) -> View {
    let action = asset?.id.map { SiteRoute.asset($0).path } ?? SiteRoute.assets.path
    return View(
        isNew: asset == nil, action: action, cancelHref: asset?.id.map { SiteRoute.asset($0).path } ?? SiteRoute.assets.path,
        values: values, errors: FieldErrors(errors),
        forms: AssetForm.allCases.map { .init(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values["form"]) },
        levels: AssetLevel.allCases.map { .init(value: $0.rawValue, label: req.t($0.labelKey), selected: $0.rawValue == values["level"]) },
        owners: people.compactMap { person in
          person.id.map {
            .init(
              value: $0.uuidString.lowercased(), label: "\(person.fullName) (\(person.code))",
              selected: $0.uuidString.lowercased() == values["owner_id"])
          }
        },
        technologies: DesignatedTechnology.allCases.map {
          .init(value: $0.rawValue, label: "\($0.number). " + req.t($0.labelKey), selected: $0.rawValue == values["designated_technology"])
        },
        technologySource: DesignatedTechnology.source,
        limits: [
          "code": AssetDraft.maximumCode, "name": AssetDraft.maximumName, "description": AssetDraft.maximumDescription,
          "location": AssetDraft.maximumLocation, "group": AssetDraft.maximumGroup, "retention": AssetDraft.maximumRetention,
          "disposal": AssetDraft.maximumDisposal, "core": AssetDraft.maximumCoreAnswer,
        ])
  }
}
