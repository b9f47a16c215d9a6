import Foundation
import MamoriCore
import Vapor

/// What configure() sets up once and every handler reads: settings, side effects and the locale catalog.
public struct MamoriContext: Sendable {
  public let settings: AppSettings
  public let services: AppServices
  public let catalog: LocaleCatalog
  /// The built-in checklists of Resources/Catalogs, checked at start (a broken file stops the start).
  public let checklists: [Catalog]
  /// The YAML text of each built-in checklist, by id.
  public let checklistTexts: [String: String]
  /// The built-in training courses of Resources/Courses, checked at start like the checklists.
  public var courses: [Course] = []

  public var clock: any AppClock { services.clock }
  /// Always set by configure().
  public var files: any FileStore { services.files! }
  /// Always set by configure().
  public var uploads: any UploadParsing { services.uploads! }
  /// Organisations' own catalogs, parsed once per content.
  let catalogCache = CatalogCache()
  /// The audit trail page's verification, for a minute per chain.
  let auditVerdicts = AuditVerdictCache()
  /// The register's findings per organisation, until the register changes (its audit chain grows).
  let findings = FindingsCache()
  /// The home page's organisation-wide figures and self-check card (by organisation and language),
  /// until the organisation's data changes or the day turns over.
  let homeFigures = VersionedCache<UUID, Dashboard.RegisterFigures>()
  let selfCheckCards = VersionedCache<String, Dashboard.SelfCheckCard?>()
  /// The people and assets lists' whole-organisation parts (total, departments or groups).
  let peopleLists = VersionedCache<UUID, PeopleIndex.ListContext>()
  let assetLists = VersionedCache<UUID, AssetsIndex.ListContext>()
  /// Each account's own record and to-dos on the home page (by account, person and role).
  let ownHomes = VersionedCache<String, Dashboard.Own>(capacity: 8192)
  /// The bodies of the register's list pages (people, assets, findings, audit trail), encoded for
  /// their templates, by organisation, page, language and query string (``Request/listBody(_:build:)``).
  let listBodies = VersionedCache<String, TemplateValue>(capacity: 512)
  /// The audit trail's, for no longer than its chain's verdict is kept.
  let auditTrailBodies = VersionedCache<String, TemplateValue>(capacity: 256, lifetime: AuditVerdictCache.lifetime)
  /// The home page's body of each account of an organisation (by account, person, role and language).
  let homeBodies = VersionedCache<String, TemplateValue>(capacity: 1024)
  /// A round's summary page (scores, chart, sections, actions) by round and language.
  let roundSummaries = VersionedCache<String, AssessmentsController.RoundSummary>()
}

extension Application {
  private struct MamoriContextKey: StorageKey { typealias Value = MamoriContext }

  public var mamori: MamoriContext {
    get {
      guard let context = storage[MamoriContextKey.self] else {
        fatalError("configure(_:settings:services:) has not run for this application")
      }
      return context
    }
    set { storage[MamoriContextKey.self] = newValue }
  }
}

extension Request {
  public var mamori: MamoriContext { application.mamori }

  var now: Date { mamori.clock.now() }
}
