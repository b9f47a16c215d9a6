/// The demo company's register of information to protect: about 300 assets in five groups, their
/// handling rules and grants, generated from a fixed seed. The data is arranged so that every kind of
/// finding appears: the design lead of Case 3 holds nearly all of line A, the dispatched worker of
/// Case 4 holds a secret asset, a contractor whose contract ended still holds grants, some grants have
/// expired and a few assets have no owner.
public struct DemoRegister: Sendable {
  public struct Asset: Sendable, Equatable {
    public var code: String
    public var name: String
    public var description: String
    public var form: AssetForm
    public var location: String
    public var level: AssetLevel
    public var group: String
    public var ownerCode: String?
    public var retention: String
    public var disposal: String
    public var isCore = false
    public var coreSource = ""
    public var coreSuperiority = ""
    public var coreExistence = ""
    public var designatedTechnology: DesignatedTechnology?
  }

  public struct Grant: Sendable, Equatable {
    public var personCode: String
    public var assetCode: String
    public var reason: String
    public var grantedOn: CivilDate
    public var expiresOn: CivilDate?
  }

  public struct Rule: Sendable, Equatable {
    public var level: AssetLevel
    public var marking: String
    public var copying: String
    public var printing: String
    public var takingOut: String
    public var sending: String
    public var storage: String
    public var disposal: String
  }

  public var assets: [Asset] = []
  public var grants: [Grant] = []
  public var rules: [Rule] = []

  struct GroupPlan {
    var name: String
    var folder: String
    var departments: [String]
    var items: [(String, AssetForm)]
  }

  static let groups: [GroupPlan] = [
    GroupPlan(
      name: "ライン A（精密シャフト）", folder: "line-a", departments: ["design", "manufacturing"],
      items: [("シャフト図面", .electronic), ("研削加工条件表", .electronic), ("熱処理条件", .electronic), ("治具設計書", .electronic)]),
    GroupPlan(
      name: "ライン B（金型）", folder: "line-b", departments: ["manufacturing", "production_control"],
      items: [("金型図面", .electronic), ("金型", .equipment), ("成形条件表", .electronic), ("試作品", .prototype)]),
    GroupPlan(
      name: "ライン C（医療機器部品）", folder: "line-c", departments: ["rnd", "design"],
      items: [("部品仕様書", .electronic), ("表面処理レシピ", .electronic), ("評価データ", .electronic), ("試作サンプル", .prototype)]),
    GroupPlan(
      name: "品質保証", folder: "quality", departments: ["quality"],
      items: [("検査手順書", .electronic), ("検査記録", .paper), ("不具合解析報告", .electronic), ("測定ノウハウ", .knowhow)]),
    GroupPlan(
      name: "営業・顧客", folder: "sales", departments: ["sales", "executive"],
      items: [("見積原価表", .electronic), ("顧客図面", .electronic), ("取引条件", .paper), ("価格表", .electronic)]),
  ]

  public static func make(company: DemoCompany, today: CivilDate, scale: Int = 1) -> DemoRegister {
    var register = DemoRegister()
    var random = SplitMix64(seed: 0x4D41_4D4F_5249_0009)
    let active = company.people.filter { $0.exitDate.map { $0 >= today } ?? true }
    func members(_ departments: [String]) -> [DemoCompany.Person] {
      active.filter { departments.contains($0.departmentCode) }
    }
    let perGroup = 60 * max(1, scale)
    var number = 0
    for plan in groups {
      let staff = members(plan.departments)
      let owners = staff.filter { $0.employmentType == .employee }
      for index in 0..<perGroup {
        number += 1
        let code = "A-\(String(number).leftPadded(to: 4))"
        let (kind, form) = plan.items[index % plan.items.count]
        let roll = random.next(upTo: 100)
        let level: AssetLevel = roll < 15 ? .secret : roll < 50 ? .confidential : .internal
        let location: String
        switch form {
        case .electronic: location = "/share/\(plan.folder)/\(code)/"
        case .paper: location = "本社2階 キャビネット\(1 + index % 6)"
        case .prototype: location = "試作品保管庫 棚\(1 + index % 8)"
        case .equipment: location = "第2工場 金型庫 \(1 + index % 12)番"
        case .knowhow: location = "担当者（\(plan.name)）"
        }
        // About one asset in forty has nobody answering for it: the asset-without-owner finding.
        let owner = random.next(upTo: 40) == 0 || owners.isEmpty ? nil : owners[random.next(upTo: owners.count)].code
        var asset = Asset(
          code: code, name: "\(kind) \(String(index / plan.items.count + 1).leftPadded(to: 3))",
          description: "\(plan.name)の\(kind)（デモ）", form: form, location: location, level: level, group: plan.name,
          ownerCode: owner, retention: level == .secret ? "製品の販売終了後10年" : "5年",
          disposal: form == .electronic ? "データ消去ソフトで消去" : form == .paper ? "溶解処理" : "破砕して廃棄")
        if plan.folder == "line-a", index == 1 {
          asset.isCore = true
          asset.level = .secret
          asset.coreSource = "直径3mm以下のシャフトを真円度0.5µmで量産できることが、主要顧客に評価されている。"
          asset.coreSuperiority = "研削条件と熱処理条件の組合せは十数年の試行の結果で、設備を揃えても他社がすぐには再現できない。"
          asset.coreExistence = "研削加工条件表（電子データ）と、設計課長・熟練作業者のノウハウ。"
        }
        if plan.folder == "line-c", index == 1 {
          asset.isCore = true
          asset.level = .secret
          asset.coreSource = "医療機器向け部品の表面処理で、生体適合性と耐久性を両立している。"
          asset.coreSuperiority = "表面処理レシピは公開特許に含まれず、取引先の認定を受けるまでに数年かかる。"
          asset.coreExistence = "開発部のサーバ上のレシピと評価データ、開発担当者2名の経験。"
          asset.designatedTechnology = .solidElectrolyte
        }
        register.assets.append(asset)
        // Two to five grants per asset, to the group's own people.
        if !staff.isEmpty {
          var chosen: Set<String> = []
          let count = min(staff.count, 2 + random.next(upTo: 4))
          while chosen.count < count { chosen.insert(staff[random.next(upTo: staff.count)].code) }
          for personCode in chosen.sorted() {
            let granted = today.adding(days: -(30 + random.next(upTo: 700)))
            // One grant in twenty had an end date that has passed: the grant-expired finding.
            let expires: CivilDate? = random.next(upTo: 20) == 0 ? today.adding(days: -(1 + random.next(upTo: 60))) : nil
            register.grants.append(
              Grant(personCode: personCode, assetCode: code, reason: "担当業務", grantedOn: granted, expiresOn: expires))
          }
        }
      }
    }

    func add(_ person: DemoCompany.Person?, to assets: [Asset], reason: String) {
      guard let person else { return }
      for asset in assets where !register.grants.contains(where: { $0.personCode == person.code && $0.assetCode == asset.code }) {
        register.grants.append(
          Grant(personCode: person.code, assetCode: asset.code, reason: reason, grantedOn: today.adding(days: -400), expiresOn: nil))
      }
    }
    // Case 3: the design lead who knows the whole process holds nearly every asset of line A.
    let lineA = register.assets.filter { $0.group == groups[0].name }
    let lead = company.people.first { $0.departmentCode == "design" && $0.jobTitle == "設計課長" }
    add(lead, to: Array(lineA.prefix(lineA.count * 9 / 10)), reason: "設計責任者")
    // Case 4: the dispatched maintenance worker was given a secret asset of line B.
    let worker = company.people.first { $0.employmentType == .dispatched && $0.noticeDate != nil }
    add(worker, to: Array(register.assets.filter { $0.group == groups[1].name && $0.level == .secret }.prefix(1)), reason: "保守作業")
    // A contractor whose contract has ended still holds two grants: leaver-holds-grant.
    let former = company.people.first { $0.exitDate.map { $0 < today } ?? false }
    add(former, to: Array(register.assets.filter { $0.group == groups[2].name }.prefix(2)), reason: "委託開発")

    register.rules = [
      Rule(
        level: .secret, marking: "表紙・各ページ・ファイル名に「極秘」と表示する。", copying: "情報管理責任者の承認を得た場合に限る。複製は台帳に記録する。",
        printing: "原則禁止。承認を得て印刷したものは番号を付けて回収する。", takingOut: "禁止。", sending: "禁止。",
        storage: "施錠した保管庫、又はアクセスを限定したフォルダ。", disposal: "シュレッダー（クロスカット）又は溶解。電子データは消去ソフトで消去し記録する。"),
      Rule(
        level: .confidential, marking: "表紙とファイル名に「秘」と表示する。", copying: "業務上必要な範囲に限る。", printing: "必要な部数に限り、放置しない。",
        takingOut: "所属長の承認を得て、暗号化した媒体で。", sending: "暗号化し、送付先と内容を記録する。", storage: "施錠できる場所、又はアクセスを限定したフォルダ。",
        disposal: "シュレッダー。電子データは削除し、ごみ箱も空にする。"),
      Rule(
        level: .internal, marking: "「社外秘」と表示する。", copying: "社内での業務に限る。", printing: "社内での業務に限る。", takingOut: "業務上必要な場合に限る。",
        sending: "取引先への送付は秘密保持契約の範囲で。", storage: "社内の共有フォルダ又は書庫。", disposal: "シュレッダー又は社内回収箱。"),
    ]
    return register
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}
