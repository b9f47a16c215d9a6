import Foundation
import MamoriCore
import Vapor

/// The view models of the self-check pages: plain values, texts already translated and dates formatted.
extension AssessmentsController {
  struct IndexView: Encodable, Sendable {
    struct CatalogOption: Encodable, Sendable {
      var id: String
      var name: String
      var items: Int
      var selected: Bool
      var purpose: String?
    }

    struct PreviousOption: Encodable, Sendable {
      var id: String
      var label: String
      var catalogID: String
      var selected: Bool
    }

    struct Row: Encodable, Sendable {
      var title: String
      var href: String
      var status: String
      var isComplete: Bool
      var started: String
      var completed: String?
      var overall: String
      var completeness: String
    }

    struct Group: Encodable, Sendable {
      var catalogName: String
      var catalogID: String
      var rows: [Row]
    }

    var catalogs: [CatalogOption]
    var previous: [PreviousOption]?
    var groups: [Group]?
    var values: [String: String]
    var errors: FieldErrors
    var action = SiteRoute.assessments.path
    var actionsHref = SiteRoute.assessmentActions.path
    var catalogsHref = SiteRoute.catalogs.path
    var titleMaximum = Assessments.maximumTitle
  }

  struct FieldRow: Encodable, Sendable {
    var name: String
    var score: String
    var counted: Int
    var items: Int
    var other: String?
    var change: String?
  }

  struct SectionLink: Encodable, Sendable {
    var title: String
    var href: String
    var answered: Int
    var total: Int
    var done: Bool
    var sectionID: String
  }

  struct ActionRow: Encodable, Sendable {
    var assessment: String?
    var assessmentHref: String?
    var number: String
    var text: String
    var symbol: String
    var label: String
    var owner: String
    var due: String
    var overdue: Bool
    var href: String
  }

  struct ShowView: Encodable, Sendable {
    var title: String
    var catalogName: String
    var catalogVersion: Int
    var notice: String?
    var status: String
    var isComplete: Bool
    var started: String
    var completed: String?
    var overall: String
    var completeness: String
    var answered: Int
    var total: Int
    var unanswered: Int
    /// Items copied from the previous round and not yet confirmed.
    var unconfirmed: Int
    var fields: [FieldRow]
    var fieldSources: [String]
    var svg: String
    var sections: [SectionLink]
    var actions: [ActionRow]?
    var others: [IndexView.CatalogOption]?
    var completeAction: String
    var importAction: String
    var radarHref: String
    var exportHref: String
    var compareAction: String
    var renameAction: String
    var deleteAction: String?
    var firstSectionHref: String?
    /// Where the first item still to answer or confirm is.
    var firstOpenItemHref: String?
    /// Nothing answered yet: the page leads with 「回答を始める」.
    var notStarted: Bool
    var titleMaximum = Assessments.maximumTitle
    var errors: FieldErrors
  }

  /// How to choose an answer, quoted with its source beside the choices.
  struct GuideView: Encodable, Sendable {
    struct Row: Encodable, Sendable {
      var symbol: String
      var label: String
      var definition: String
    }

    var rows: [Row]
    var notes: [String]?
    var source: String?
  }

  struct ItemView: Encodable, Sendable {
    struct Choice: Encodable, Sendable {
      var value: String
      var symbol: String
      var label: String
      var checked: Bool
      var id: String
      var definition: String?
    }

    var id: String
    var anchor: String
    var number: String
    var text: String
    var guidance: String?
    var provenance: String
    var provenanceKind: String
    var source: String?
    var fields: String
    var choices: [Choice]
    var note: String
    var owner: String
    var due: String
    var needsAction: Bool
    var carriedOver: Bool
    /// Where the item's action stands (from the action list), when it has one.
    var actionStatus: String?
    var actionStatusCode: String?
    var actionHref: String?
    /// Note, owner, due date and evidence are open for △ and × and wherever something is filled in.
    var openDetails: Bool
    var error: String?
    var evidence: [EvidenceRow]?
    var evidenceForm: String
  }

  struct EvidenceRow: Encodable, Sendable {
    var name: String
    var size: String
    var href: String
    var deleteForm: String
  }

  struct EvidenceForm: Encodable, Sendable {
    var id: String
    var item: String?
    var action: String
  }

  struct SectionView: Encodable, Sendable {
    /// `maxlength` of every item's note and owner, from the rules `Assessments.save` checks.
    var noteLimit = Assessments.maximumNote
    var ownerLimit = Assessments.maximumOwner
    var assessmentTitle: String
    var assessmentHref: String
    var sectionTitle: String
    var position: Int
    var count: Int
    /// The catalog's notice is shown in full on the round's summary; the sections link to it.
    var noticeHref: String?
    var guide: GuideView?
    var locked: Bool
    var items: [ItemView]
    var action: String
    var autosaveAction: String
    var previousHref: String?
    var nextHref: String?
    var sections: [SectionLink]
    var hasErrors: Bool
    var evidenceForms: [EvidenceForm]
    var accept: String
    var sectionID: String
  }

  struct CompareView: Encodable, Sendable {
    struct Change: Encodable, Sendable {
      var number: String
      var text: String
      var before: String
      var after: String
      var href: String
    }

    var title: String
    var otherTitle: String
    var backHref: String
    var svg: String
    var fields: [FieldRow]
    var overall: String
    var otherOverall: String
    var changes: [Change]?
    var radarHref: String
  }

  struct StartForm: Content {
    var catalog: String?
    var title: String?
    /// The round to carry answers over from; empty for a blank round.
    var from: String?
  }

  struct RenameForm: Content {
    var title: String?
  }

  struct AnswerForm: Content {
    var item: String?
    var answer: String?
    var note: String?
    var owner: String?
    var due: String?
  }

  struct AutosaveResult: Content {
    var saved: Bool
    var item: String
    var needsAction: Bool
    var answered: Int
    var total: Int
    var overall: String
    var completeness: String
    var message: String
    /// The item's section, with how many of its items are answered, for the page's navigation.
    var section: String?
    var sectionAnswered: Int?
    var sectionTotal: Int?
  }
}
