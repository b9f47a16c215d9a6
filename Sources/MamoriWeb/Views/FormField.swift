import MamoriCore

/// One field of a form as `partials/field.leaf` draws it: label, input, hint and error, with the limits
/// of the rule that checks it (`maxlength`, `required`) rather than numbers copied into templates.
struct FormField: Encodable, Sendable {
  struct Option: Encodable, Sendable {
    var value: String
    var label: String
    var selected: Bool
  }

  var name: String
  var label: String
  var type = "text"
  var value = ""
  var required = false
  var maxLength: Int?
  var minLength: Int?
  /// Bounds of a number input.
  var min: Int?
  var max: Int?
  /// A pattern the browser checks before sending (the server checks the same rule).
  var pattern: String?
  var inputMode: String?
  var autocomplete: String?
  var hint: String?
  var error: String?
  var options: [Option]?
  var multiline = false

  /// The ids the input points to for its hint and error, for screen readers.
  var describedBy: String? {
    let ids = [hint.map { _ in "\(name)-hint" }, error.map { _ in "\(name)-error" }].compactMap { $0 }
    return ids.isEmpty ? nil : ids.joined(separator: " ")
  }

  private enum CodingKeys: String, CodingKey {
    case name, label, type, value, required, maxLength, minLength, min, max, pattern, inputMode, autocomplete, hint, error, options, multiline
    case describedBy
  }

  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(name, forKey: .name)
    try container.encode(label, forKey: .label)
    try container.encode(type, forKey: .type)
    try container.encode(value, forKey: .value)
    try container.encode(required, forKey: .required)
    try container.encodeIfPresent(maxLength, forKey: .maxLength)
    try container.encodeIfPresent(minLength, forKey: .minLength)
    try container.encodeIfPresent(min, forKey: .min)
    try container.encodeIfPresent(max, forKey: .max)
    try container.encodeIfPresent(pattern, forKey: .pattern)
    try container.encodeIfPresent(inputMode, forKey: .inputMode)
    try container.encodeIfPresent(autocomplete, forKey: .autocomplete)
    try container.encodeIfPresent(hint, forKey: .hint)
    try container.encodeIfPresent(error, forKey: .error)
    try container.encodeIfPresent(options?.nonEmpty, forKey: .options)
    try container.encode(multiline, forKey: .multiline)
    try container.encodeIfPresent(describedBy, forKey: .describedBy)
  }

  /// A text input checked by `rule`.
  static func text(
    _ rule: TextRule, label: String, value: String?, errors: FieldErrors, type: String = "text", hint: String? = nil,
    autocomplete: String? = nil, multiline: Bool = false
  ) -> FormField {
    FormField(
      name: rule.field, label: label, type: type, value: value ?? "", required: rule.required, maxLength: rule.maximum,
      autocomplete: autocomplete, hint: hint, error: errors.messages[rule.field], multiline: multiline)
  }

  /// An e-mail address (the address rule's length).
  static func email(
    _ name: String = "email", label: String, value: String?, errors: FieldErrors, required: Bool = true,
    autocomplete: String? = "email"
  ) -> FormField {
    FormField(
      name: name, label: label, type: "email", value: value ?? "", required: required, maxLength: EmailAddress.maximumLength,
      autocomplete: autocomplete, error: errors.messages[name])
  }

  /// A new password, with the policy's minimum length and its hint.
  static func newPassword(_ name: String, label: String, hint: String?, errors: FieldErrors) -> FormField {
    FormField(
      name: name, label: label, type: "password", required: true, minLength: hint == nil ? nil : PasswordPolicy.minimumLength,
      autocomplete: "new-password", hint: hint, error: errors.messages[name])
  }

  /// A slug (organisation or body), with the slug rule's length and pattern and its hint.
  static func slug(_ name: String = "slug", label: String, hint: String, value: String?, errors: FieldErrors) -> FormField {
    FormField(
      name: name, label: label, value: value ?? "", required: true, maxLength: Slug.lengths.upperBound, pattern: Slug.pattern,
      hint: hint, error: errors.messages[name])
  }

  /// A choice from a list.
  static func select(
    _ name: String, label: String, options: [Option], errors: FieldErrors, required: Bool = false, hint: String? = nil
  ) -> FormField {
    FormField(name: name, label: label, required: required, hint: hint, error: errors.messages[name], options: options)
  }
}
