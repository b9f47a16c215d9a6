import Foundation
import Testing

@testable import MamoriCore

@Suite("Roles, access rules and input rules", .timeLimit(.minutes(5)))
struct AccountsTests {
  @Test("access rules admit exactly the roles they name")
  func accessRules() {
    let admin = Principal(role: .admin, isOperator: false)
    let member = Principal(role: .member, isOperator: false)
    let auditor = Principal(role: .auditor, isOperator: false)
    let operatorOnly = Principal(role: nil, isOperator: true)
    #expect(AccessRule.everyone.allows(nil))
    #expect(!AccessRule.signedIn.allows(nil))
    #expect(AccessRule.signedIn.allows(operatorOnly))
    #expect(AccessRule.managers.allows(admin))
    #expect(!AccessRule.managers.allows(member))
    #expect(!AccessRule.managers.allows(auditor))
    #expect(!AccessRule.managers.allows(operatorOnly))
    #expect(AccessRule.auditors.allows(auditor))
    #expect(!AccessRule.platformOperator.allows(admin))
    #expect(AccessRule.platformOperator.allows(Principal(role: .admin, isOperator: true)))
    #expect(Role.auditor.tenant == .body)
    #expect(Role.organisationRoles.allSatisfy { $0.tenant == .organisation })
  }

  @Test("passwords: at least 12 characters, at most 72 bytes, not common, not the e-mail")
  func passwords() {
    #expect(PasswordPolicy.check("eleven char")?.key == "validation.password_short")
    #expect(PasswordPolicy.check("correct horse battery staple") == nil)
    #expect(PasswordPolicy.check("password1234")?.key == "validation.password_common")
    #expect(PasswordPolicy.check("aaaaaaaaaaaaaaaa")?.key == "validation.password_common")
    #expect(PasswordPolicy.check(String(repeating: "情報", count: 13))?.key == "validation.password_long")
    #expect(PasswordPolicy.check("情報を守るための長い合言葉です") == nil)
    #expect(PasswordPolicy.check("tanaka-kenta-2026!", email: "tanaka@acme.example")?.key == "validation.password_like_email")
  }

  @Test("e-mail addresses are normalised and checked plainly")
  func emails() {
    #expect(EmailAddress.normalise("  Tanaka@Example.CO.JP ") == "tanaka@example.co.jp")
    #expect(EmailAddress.isValid("tanaka@example.co.jp"))
    #expect(EmailAddress.isValid("a.b@x.y") && EmailAddress.isValid("山田@例え.jp"))
    for bad in [
      "tanaka", "tanaka@", "@example.com", "a b@example.com", "a@example", "a@.example.com", "a@example..com", "a@b@c.com",
      "a@example.com.", "a@..", "a@.", "<a@example.com>",
    ] {
      #expect(!EmailAddress.isValid(bad), "\(bad)")
    }
  }

  @Test("slugs are short lower-case identifiers")
  func slugs() {
    for good in ["aoba-seimitsu", "a1", "kobe-kikai-2"] { #expect(Slug.isValid(good), "\(good)") }
    for bad in ["A", "a", "-aoba", "aoba-", "ao--ba", "Aoba", "あおば", "aoba seimitsu", String(repeating: "a", count: 41)] {
      #expect(!Slug.isValid(bad), "\(bad)")
    }
  }

  @Test("a person draft is normalised and every broken rule is named")
  func personDraft() {
    let draft = PersonDraft(
      code: " E1 ", loginName: "tanaka.kenta", familyName: " 田中 ", givenName: "健太", email: " Tanaka@Acme.Example",
      employmentType: "employee", hireDate: "2020-04-01", noticeDate: "2026-02-01", exitDate: "2026-03-31"
    ).normalised
    #expect(draft.code == "E1")
    #expect(draft.fullName == "田中 健太")
    #expect(draft.email == "tanaka@acme.example")
    #expect(draft.validate().isEmpty)

    let bad = PersonDraft(
      code: "", loginName: "a b", familyName: "", employmentType: "boss", hireDate: "2026-04-01", noticeDate: "x",
      exitDate: "2026-03-01")
    let fields = Set(bad.normalised.validate().map(\.field))
    #expect(fields == ["code", "login_name", "family_name", "employment_type", "notice_date", "exit_date"])
    let backwards = PersonDraft(code: "E", loginName: "e", familyName: "E", noticeDate: "2026-03-10", exitDate: "2026-03-01")
    #expect(backwards.normalised.validate().map(\.key) == ["validation.exit_before_notice"])
  }
}
