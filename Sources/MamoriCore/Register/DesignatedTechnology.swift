/// The 19 technologies designated for prior reporting under the Foreign Exchange and Foreign Trade Act
/// (外為法に基づく技術管理対話スキーム, 事前報告の対象技術), as listed in METI's 2025 briefing
/// 「技術流出対策について」 (the seed, section 3, after ① コア技術の特定): 15 designated at first and 4
/// added since. The Japanese names are the briefing's; the English names are our translation
/// (locale keys `designated_technology.*`), not official text.
public enum DesignatedTechnology: String, CaseIterable, Sendable, Codable {
  case mlcc
  case sawBawFilter = "saw-baw-filter"
  case electrolyticCopperFoil = "electrolytic-copper-foil"
  case dielectricFilm = "dielectric-film"
  case bariumTitanate = "barium-titanate"
  case carbonFibre = "carbon-fibre"
  case siliconCarbideFibre = "silicon-carbide-fibre"
  case photoresist
  case nonFerrousTarget = "non-ferrous-target"
  case electronMicroscope = "electron-microscope"
  case magneticSensor = "magnetic-sensor"
  case titaniumSponge = "titanium-sponge"
  case electrodeBinder = "electrode-binder"
  case solidElectrolyte = "solid-electrolyte"
  case separatorEquipment = "separator-equipment"
  case quantumDot = "quantum-dot"
  case tadf
  case retardationFilm = "retardation-film"
  case flexibleEndoscope = "flexible-endoscope"

  /// The briefing's circled number (① to ⑲), its order.
  public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

  /// The briefing's own wording, kept verbatim with its source.
  public var officialName: String {
    switch self {
    case .mlcc: return "積層セラミックコンデンサ (MLCC)"
    case .sawBawFilter: return "SAW及びBAWフィルタ"
    case .electrolyticCopperFoil: return "電解銅箔"
    case .dielectricFilm: return "誘電体フィルム"
    case .bariumTitanate: return "チタン酸バリウム"
    case .carbonFibre: return "炭素繊維"
    case .siliconCarbideFibre: return "炭化ケイ素繊維"
    case .photoresist: return "フォトレジスト"
    case .nonFerrousTarget: return "非鉄金属ターゲット材"
    case .electronMicroscope: return "走査型/透過型電子顕微鏡 (SEM/TEM)"
    case .magneticSensor: return "磁気センサー"
    case .titaniumSponge: return "スポンジチタン"
    case .electrodeBinder: return "正負極バインダ"
    case .solidElectrolyte: return "固体電解質"
    case .separatorEquipment: return "セパレータ製造装置"
    case .quantumDot: return "量子ドット"
    case .tadf: return "TADF材料 (有機EL次世代発光材料)"
    case .retardationFilm: return "位相差フィルム"
    case .flexibleEndoscope: return "軟性内視鏡"
    }
  }

  public var labelKey: String { "designated_technology.\(rawValue)" }

  public static let source = "経済産業省「技術流出対策について」（2025年）3. 外為法に基づく技術管理対話スキーム 事前報告の対象技術"
}
