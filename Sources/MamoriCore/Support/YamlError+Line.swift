import Yams

extension YamlError {
  /// The 1-based line a YAML error points at, when libyaml reported one.
  public var line: Int? {
    switch self {
    case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
      return mark.line
    case .duplicatedKeysInMapping(_, let context):
      return context.mark.line
    case .reader(_, let offset, _, let yaml):
      guard let offset else { return nil }
      return yaml.prefix(offset).filter { $0 == "\n" }.count + 1
    default:
      return nil
    }
  }
}
