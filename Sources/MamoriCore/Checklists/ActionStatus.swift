/// Where an action of the self-check stands: raised by a △ or × answer, worked on, done.
public enum ActionStatus: String, Sendable, Codable, CaseIterable {
  case open
  case inProgress = "in_progress"
  case done

  /// The key of its label in the locale catalog.
  public var labelKey: String { "actions.status.\(rawValue)" }

  /// Open and in-progress actions: what is still to do.
  public var isActive: Bool { self != .done }
}
