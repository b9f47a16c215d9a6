/// The fictional manufacturing SME of `mamori serve --demo`: あおば精密工業株式会社, a precision-parts maker
/// of about 120 people. Everything here is invented; any likeness to a real company or person is chance.
///
/// The data is generated from a fixed seed, so every start shows the same company; dates are relative to
/// the day of the start, so that the two leavers are always mid-way through their notice.
public struct DemoCompany: Sendable {
  public struct Department: Sendable, Equatable {
    public var code: String
    public var name: String
    public var nameEnglish: String
  }

  public struct Person: Sendable, Equatable {
    public var code: String
    public var loginName: String
    public var familyName: String
    public var givenName: String
    public var email: String?
    public var departmentCode: String
    public var employmentType: EmploymentType
    public var jobTitle: String
    public var hireDate: CivilDate
    public var noticeDate: CivilDate?
    public var exitDate: CivilDate?
    public var leavingDate: CivilDate? = nil

    /// Names written in katakana keep the order of the person's own language: グエン・ヴァン・ミン.
    public var foreignDisplayName: String?

    public var displayName: String {
      foreignDisplayName ?? "\(familyName) \(givenName)"
    }
  }

  public struct Account: Sendable, Equatable {
    public var email: String
    public var displayName: String
    /// nil for the platform operator, who belongs to no tenant.
    public var role: Role?
    public var isOperator: Bool
    public var personCode: String?
    public var atBody: Bool
  }

  public var organisationName = "あおば精密工業株式会社"
  public var organisationNameEnglish = "Aoba Precision Industries Co., Ltd."
  public var organisationSlug = "aoba-seimitsu"
  public var industry = "E 製造業"
  public var capitalYen = 80_000_000
  public var bodyName = "みどり技術情報認証センター"
  public var bodySlug = "midori-ninsho"
  public var bodyScope = "全て（デモ）"
  public var departments: [Department] = []
  public var people: [Person] = []
  public var accounts: [Account] = []

  public static let emailDomain = "aoba-seimitsu.example"
  public static let bodyEmailDomain = "midori-ninsho.example"

  /// The company; `scale` repeats its staffing plan (2 = about 240 people…), for benchmarks.
  public static func make(today: CivilDate, scale: Int = 1) -> DemoCompany {
    var company = DemoCompany()
    var random = SplitMix64(seed: 0x6D61_6D6F_7269)
    company.departments = departmentPlan.map { Department(code: $0.code, name: $0.name, nameEnglish: $0.english) }

    var usedLogins: Set<String> = []
    var serial = 1000
    func nextCode(_ prefix: String) -> String {
      serial += 1
      return "\(prefix)\(serial)"
    }
    func login(_ family: String, _ given: String) -> String {
      var base = "\(family).\(given)"
      var n = 2
      while usedLogins.contains(base) {
        base = "\(family).\(given)\(n)"
        n += 1
      }
      usedLogins.insert(base)
      return base
    }

    for plan in (0..<max(1, scale)).flatMap({ _ in departmentPlan }) {
      for (index, slot) in plan.slots.enumerated() {
        let type = slot.type
        let hireYearsAgo: Int
        switch type {
        case .executive: hireYearsAgo = 18 + random.next(upTo: 15)
        case .dispatched: hireYearsAgo = random.next(upTo: 3)
        case .contractor: hireYearsAgo = 1 + random.next(upTo: 4)
        case .other: hireYearsAgo = 1 + random.next(upTo: 8)
        case .employee: hireYearsAgo = 1 + random.next(upTo: 30)
        }
        let hire = today.adding(days: -(hireYearsAgo * 365 + 30 + random.next(upTo: 300)))
        let name: (family: String, familyRomaji: String, given: String, givenRomaji: String)
        var foreignDisplay: String?
        if type == .dispatched, index % 4 == 1 {
          let foreign = foreignNames[random.next(upTo: foreignNames.count)]
          name = (foreign.family, foreign.familyRomaji, foreign.given, foreign.givenRomaji)
          foreignDisplay = foreign.display
        } else {
          let family = familyNames[random.next(upTo: familyNames.count)]
          let given = givenNames[random.next(upTo: givenNames.count)]
          name = (family.0, family.1, given.0, given.1)
        }
        let loginName = login(name.familyRomaji, name.givenRomaji)
        let prefix: String
        switch type {
        case .employee, .executive, .other: prefix = "E"
        case .dispatched: prefix = "H"
        case .contractor: prefix = "C"
        }
        let hasMail = type != .other
        company.people.append(
          Person(
            code: nextCode(prefix), loginName: loginName, familyName: name.family, givenName: name.given,
            email: hasMail ? "\(loginName)@\(emailDomain)" : nil, departmentCode: plan.code, employmentType: type,
            jobTitle: slot.title, hireDate: hire, noticeDate: nil, exitDate: nil, foreignDisplayName: foreignDisplay))
      }
    }

    // The two leavers of the story: the design lead who knows the whole process (METI's Case 3) and a
    // dispatched worker whose contract ends (Case 4).
    if let lead = company.people.firstIndex(where: { $0.departmentCode == "design" && $0.jobTitle == "設計課長" }) {
      usedLogins.remove(company.people[lead].loginName)
      let leadLogin = login("yamada", "makoto")
      company.people[lead].familyName = "山田"
      company.people[lead].givenName = "誠"
      company.people[lead].loginName = leadLogin
      company.people[lead].email = "\(leadLogin)@\(emailDomain)"
      company.people[lead].hireDate = today.adding(days: -(17 * 365 + 90))
      company.people[lead].noticeDate = today.adding(days: -12)
      company.people[lead].exitDate = today.adding(days: 33)
    }
    if let worker = company.people.firstIndex(where: {
      $0.departmentCode == "manufacturing" && $0.employmentType == .dispatched && $0.foreignDisplayName != nil
    }) {
      company.people[worker].noticeDate = today.adding(days: -20)
      company.people[worker].exitDate = today.adding(days: 9)
    }
    // A technical adviser whose contract ended a few days ago: the register shows what is left to close.
    if let adviser = company.people.firstIndex(where: { $0.departmentCode == "rnd" && $0.employmentType == .contractor }) {
      company.people[adviser].noticeDate = today.adding(days: -45)
      company.people[adviser].exitDate = today.adding(days: -4)
      company.people[adviser].leavingDate = today.adding(days: -4)
    }
    if let lead = company.people.firstIndex(where: { $0.loginName.hasPrefix("yamada.makoto") }) {
      // Leave is taken after the last working day: employment ends later.
      company.people[lead].leavingDate = company.people[lead].exitDate?.adding(days: 14)
    }

    func person(_ department: String, _ title: String) -> Person? {
      company.people.first { $0.departmentCode == department && $0.jobTitle == title }
    }
    func account(_ person: Person?, role: Role, isOperator: Bool = false) -> Account? {
      guard let person, let email = person.email else { return nil }
      return Account(
        email: email, displayName: person.displayName, role: role, isOperator: isOperator,
        personCode: person.code, atBody: false)
    }
    company.accounts = [
      account(person("general_affairs", "総務部長"), role: .admin),
      account(person("quality", "品質保証部長"), role: .officer),
      account(person("design", "設計担当"), role: .member),
    ].compactMap { $0 }
    company.accounts.append(
      Account(
        email: "auditor@\(bodyEmailDomain)", displayName: "審査員 森本 久美子", role: .auditor, isOperator: false,
        personCode: nil, atBody: true))
    company.accounts.append(
      Account(
        email: "operator@mamori-demo.example", displayName: "Mamori 運用担当", role: nil, isOperator: true,
        personCode: nil, atBody: false))
    return company
  }

  struct Slot {
    var type: EmploymentType
    var title: String
  }

  struct DepartmentPlan {
    var code: String
    var name: String
    var english: String
    var slots: [Slot]
  }

  static func slots(_ count: Int, _ type: EmploymentType, _ title: String) -> [Slot] {
    Array(repeating: Slot(type: type, title: title), count: count)
  }

  static let departmentPlan: [DepartmentPlan] = [
    DepartmentPlan(
      code: "executive", name: "役員", english: "Board",
      slots: [
        Slot(type: .executive, title: "代表取締役社長"), Slot(type: .executive, title: "専務取締役"),
        Slot(type: .executive, title: "常務取締役"), Slot(type: .executive, title: "取締役 製造本部長"),
        Slot(type: .executive, title: "監査役"),
      ]),
    DepartmentPlan(
      code: "design", name: "設計部", english: "Design",
      slots: [Slot(type: .employee, title: "設計部長"), Slot(type: .employee, title: "設計課長")]
        + slots(15, .employee, "設計担当") + slots(3, .contractor, "CAD オペレーター（業務委託）")
        + slots(2, .dispatched, "設計補助（派遣）")),
    DepartmentPlan(
      code: "rnd", name: "開発部", english: "Research and development",
      slots: [Slot(type: .employee, title: "開発部長")] + slots(10, .employee, "開発担当")
        + slots(1, .contractor, "技術顧問（業務委託）")),
    DepartmentPlan(
      code: "manufacturing", name: "製造部", english: "Manufacturing",
      slots: [Slot(type: .employee, title: "製造部長"), Slot(type: .employee, title: "製造課長")]
        + slots(3, .employee, "班長") + slots(19, .employee, "製造担当") + slots(11, .dispatched, "製造オペレーター（派遣）")
        + slots(3, .other, "製造補助（パート）")),
    DepartmentPlan(
      code: "quality", name: "品質保証部", english: "Quality assurance",
      slots: [Slot(type: .employee, title: "品質保証部長")] + slots(9, .employee, "品質保証担当")
        + slots(2, .dispatched, "検査員（派遣）")),
    DepartmentPlan(
      code: "production_control", name: "生産管理部", english: "Production control",
      slots: [Slot(type: .employee, title: "生産管理課長")] + slots(7, .employee, "生産管理担当")),
    DepartmentPlan(
      code: "sales", name: "営業部", english: "Sales",
      slots: [Slot(type: .employee, title: "営業部長")] + slots(10, .employee, "営業担当")
        + slots(1, .other, "営業事務（パート）")),
    DepartmentPlan(
      code: "general_affairs", name: "総務部", english: "General affairs",
      slots: [Slot(type: .employee, title: "総務部長")] + slots(5, .employee, "総務・人事・経理担当")
        + slots(1, .dispatched, "総務事務（派遣）")),
    DepartmentPlan(
      code: "it", name: "情報システム課", english: "IT",
      slots: [Slot(type: .employee, title: "情報システム課長"), Slot(type: .employee, title: "情報システム担当")]
        + slots(1, .contractor, "システム保守（業務委託）")),
  ]

  static let familyNames: [(String, String)] = [
    ("佐藤", "sato"), ("鈴木", "suzuki"), ("高橋", "takahashi"), ("田中", "tanaka"), ("伊藤", "ito"),
    ("渡辺", "watanabe"), ("山本", "yamamoto"), ("中村", "nakamura"), ("小林", "kobayashi"), ("加藤", "kato"),
    ("吉田", "yoshida"), ("山田", "yamada"), ("佐々木", "sasaki"), ("山口", "yamaguchi"), ("松本", "matsumoto"),
    ("井上", "inoue"), ("木村", "kimura"), ("林", "hayashi"), ("斎藤", "saito"), ("清水", "shimizu"),
    ("山崎", "yamazaki"), ("森", "mori"), ("池田", "ikeda"), ("橋本", "hashimoto"), ("阿部", "abe"),
    ("石川", "ishikawa"), ("山下", "yamashita"), ("中島", "nakajima"), ("石井", "ishii"), ("小川", "ogawa"),
    ("前田", "maeda"), ("岡田", "okada"), ("長谷川", "hasegawa"), ("藤田", "fujita"), ("後藤", "goto"),
    ("近藤", "kondo"), ("村上", "murakami"), ("遠藤", "endo"), ("青木", "aoki"), ("坂本", "sakamoto"),
    ("西村", "nishimura"), ("福田", "fukuda"), ("太田", "ota"), ("三浦", "miura"), ("藤井", "fujii"),
    ("岡本", "okamoto"), ("松田", "matsuda"), ("中川", "nakagawa"), ("原田", "harada"), ("小野", "ono"),
  ]

  static let givenNames: [(String, String)] = [
    ("健太", "kenta"), ("翔太", "shota"), ("大輔", "daisuke"), ("拓也", "takuya"), ("直樹", "naoki"),
    ("誠", "makoto"), ("浩二", "koji"), ("隆", "takashi"), ("剛", "tsuyoshi"), ("亮", "ryo"),
    ("和也", "kazuya"), ("達也", "tatsuya"), ("雄一", "yuichi"), ("修", "osamu"), ("博之", "hiroyuki"),
    ("悠人", "yuto"), ("蓮", "ren"), ("陽介", "yosuke"), ("正樹", "masaki"), ("秀樹", "hideki"),
    ("美咲", "misaki"), ("陽子", "yoko"), ("由美", "yumi"), ("恵", "megumi"), ("彩", "aya"),
    ("奈々", "nana"), ("真由美", "mayumi"), ("裕子", "yuko"), ("智子", "tomoko"), ("直美", "naomi"),
    ("久美子", "kumiko"), ("麻衣", "mai"), ("千尋", "chihiro"), ("さくら", "sakura"), ("愛", "ai"),
    ("香織", "kaori"), ("明美", "akemi"), ("京子", "kyoko"), ("絵美", "emi"), ("里奈", "rina"),
  ]

  static let foreignNames:
    [(family: String, familyRomaji: String, given: String, givenRomaji: String, display: String)] = [
      ("グエン", "nguyen", "ヴァン・ミン", "minh", "グエン・ヴァン・ミン"),
      ("チャン", "tran", "ティ・ラン", "lan", "チャン・ティ・ラン"),
      ("サントス", "santos", "マリア", "maria", "マリア・サントス"),
      ("レ", "le", "ヴァン・フン", "hung", "レ・ヴァン・フン"),
      ("シルバ", "silva", "ジョアン", "joao", "ジョアン・シルバ"),
      ("ファム", "pham", "ティ・フオン", "huong", "ファム・ティ・フオン"),
    ]
}

/// A small deterministic generator, so that the demo is the same at every start and on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
  var state: UInt64

  public init(seed: UInt64) { state = seed }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  public mutating func next(upTo bound: Int) -> Int {
    Int(next() % UInt64(bound))
  }
}
