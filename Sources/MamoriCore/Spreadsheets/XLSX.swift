import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// A workbook to write: sheets of rows of cells, with the few styles Mamori's exports need.
public struct XLSXWorkbook: Sendable {
  public var sheets: [XLSXSheet]
  public var title: String
  public var creator: String

  public init(sheets: [XLSXSheet], title: String = "", creator: String = "Mamori") {
    self.sheets = sheets
    self.title = title
    self.creator = creator
  }
}

public struct XLSXSheet: Sendable {
  /// How the sheet prints: A4, landscape or portrait, scaled to the page width (as many pages down as
  /// needed), with the page number in the footer.
  public struct PageSetup: Sendable, Equatable {
    public var landscape: Bool
    /// Excel's paper size code: 9 is A4.
    public var paperSize: Int
    public var fitToWidth: Bool

    public init(landscape: Bool = true, paperSize: Int = 9, fitToWidth: Bool = true) {
      self.landscape = landscape
      self.paperSize = paperSize
      self.fitToWidth = fitToWidth
    }
  }

  public var name: String
  /// Column widths in characters; missing ones take the default.
  public var columnWidths: [Double]
  public var rows: [[XLSXCell]]
  /// Rows kept in view while scrolling (down to and with the header).
  public var frozenRows: Int
  /// Row heights in points, by row index (from 0); other rows take the default height.
  public var rowHeights: [Int: Double]
  /// Merged ranges such as "A1:J1" (a title across the table).
  public var merges: [String]
  /// The filtered range ("A3:J70"); nil filters from the last frozen row to the last row.
  public var autoFilter: String?
  /// Rows printed at the top of every page (from 1), such as the header row.
  public var printTitleRows: ClosedRange<Int>?
  public var page: PageSetup
  /// A native radar chart drawn on the sheet from its own cells (Excel and LibreOffice redraw it).
  public var radarChart: RadarChart? = nil

  /// A radar chart of `values` (one column, 1-based rows) against `labels`, placed over the cells
  /// `from`–`to` (0-based column and row of the top-left and bottom-right corners).
  public struct RadarChart: Sendable, Equatable {
    public var title: String
    public var seriesName: String
    public var labelColumn: Int
    public var valueColumn: Int
    public var rows: ClosedRange<Int>
    public var from: (column: Int, row: Int)
    public var to: (column: Int, row: Int)
    /// The axis runs from 0 to this (100 for percentages).
    public var maximum: Double
    /// Further series over the same labels and rows (a previous round), drawn after the first.
    public var otherSeries: [Series]

    /// A named column of values.
    public struct Series: Sendable, Equatable {
      public var name: String
      public var valueColumn: Int

      public init(name: String, valueColumn: Int) {
        self.name = name
        self.valueColumn = valueColumn
      }
    }

    public init(
      title: String, seriesName: String, labelColumn: Int, valueColumn: Int, rows: ClosedRange<Int>,
      from: (column: Int, row: Int), to: (column: Int, row: Int), maximum: Double = 100, otherSeries: [Series] = []
    ) {
      self.otherSeries = otherSeries
      self.title = title
      self.seriesName = seriesName
      self.labelColumn = labelColumn
      self.valueColumn = valueColumn
      self.rows = rows
      self.from = from
      self.to = to
      self.maximum = maximum
    }

    public static func == (a: RadarChart, b: RadarChart) -> Bool {
      a.title == b.title && a.seriesName == b.seriesName && a.labelColumn == b.labelColumn && a.valueColumn == b.valueColumn
        && a.rows == b.rows && a.from == b.from && a.to == b.to && a.maximum == b.maximum && a.otherSeries == b.otherSeries
    }
  }

  public init(
    name: String, columnWidths: [Double] = [], rows: [[XLSXCell]] = [], frozenRows: Int = 0, rowHeights: [Int: Double] = [:],
    merges: [String] = [], autoFilter: String? = nil, printTitleRows: ClosedRange<Int>? = nil, page: PageSetup = .init()
  ) {
    self.name = name
    self.columnWidths = columnWidths
    self.rows = rows
    self.frozenRows = frozenRows
    self.rowHeights = rowHeights
    self.merges = merges
    self.autoFilter = autoFilter
    self.printTitleRows = printTitleRows
    self.page = page
  }

  /// The height, in points, that a row needs so that wrapped texts show whole: the longest cell's lines
  /// at `lineHeight` each. A full-width character takes two of a column's character widths.
  public static func fittingHeight(_ texts: [(String, Double)], lineHeight: Double = 15, padding: Double = 4) -> Double {
    var lines = 1
    for (text, width) in texts {
      let perLine = max(1, width - 1.5)
      var count = 0
      for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        let units = paragraph.unicodeScalars.reduce(0.0) { $0 + (isWide($1) ? 2 : 1.1) }
        count += max(1, Int((units / perLine).rounded(.up)))
      }
      lines = max(lines, count)
    }
    return Double(lines) * lineHeight + padding
  }

  static func isWide(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
      0x25A0...0x25FF, 0x2460...0x24FF, 0x00D7:
      return true
    default:
      return false
    }
  }
}

public enum XLSXStyle: Int, Sendable, CaseIterable {
  case plain = 0
  case header
  case wrap
  case section
  /// A number with one decimal (a score in %).
  case decimal
  /// A calendar date, shown as yyyy-mm-dd.
  case date
  /// A sheet's title: bold, larger, no border.
  case title
  /// A note above or below a table: wrapped, no border.
  case note
}

public enum XLSXCell: Sendable, Equatable {
  case empty
  case text(String, XLSXStyle = .plain)
  case number(Double, XLSXStyle = .plain)
  /// A calendar day, written as Excel's day number so that it sorts and filters as a date.
  case date(year: Int, month: Int, day: Int)
}

public struct XLSXError: Error, CustomStringConvertible, Sendable, Equatable {
  public var reason: String
  public var description: String { reason }
}

/// Writes Office Open XML workbooks that Excel and LibreOffice open without repair: inline strings,
/// one small style sheet, frozen header rows. Written by hand because no package in reach writes xlsx.
public enum XLSXWriter {
  public static func data(_ workbook: XLSXWorkbook) throws -> Data {
    precondition(!workbook.sheets.isEmpty, "a workbook needs a sheet")
    let archive = try Archive(data: Data(), accessMode: .create)
    var parts: [(String, String)] = [
      ("[Content_Types].xml", contentTypes(sheetCount: workbook.sheets.count, charts: workbook.sheets.filter { $0.radarChart != nil }.count)),
      ("_rels/.rels", rootRelationships),
      ("docProps/core.xml", coreProperties(workbook)),
      ("docProps/app.xml", appProperties),
      ("xl/workbook.xml", workbookXML(workbook)),
      ("xl/_rels/workbook.xml.rels", workbookRelationships(sheetCount: workbook.sheets.count)),
      ("xl/styles.xml", styles),
    ]
    var charts = 0
    for (index, sheet) in workbook.sheets.enumerated() {
      parts.append(("xl/worksheets/sheet\(index + 1).xml", sheetXML(sheet)))
      if let chart = sheet.radarChart {
        // One drawing and one chart per sheet that has a chart, numbered in sheet order.
        charts += 1
        parts.append(("xl/worksheets/_rels/sheet\(index + 1).xml.rels", relationships([("rId1", "drawing", "../drawings/drawing\(charts).xml")])))
        parts.append(("xl/drawings/drawing\(charts).xml", drawingXML(chart)))
        parts.append(("xl/drawings/_rels/drawing\(charts).xml.rels", relationships([("rId1", "chart", "../charts/chart\(charts).xml")])))
        parts.append(("xl/charts/chart\(charts).xml", radarChartXML(chart, sheetName: sheetName(sheet.name))))
      }
    }
    // A fixed date keeps the bytes of an export the same for the same content.
    let stamp = Date(timeIntervalSince1970: 1_577_836_800)
    for (path, text) in parts {
      let bytes = Data(text.utf8)
      try archive.addEntry(
        with: path, type: .file, uncompressedSize: Int64(bytes.count), modificationDate: stamp,
        compressionMethod: .deflate
      ) { position, size in
        bytes.subdata(in: Int(position)..<Int(position) + size)
      }
    }
    guard let data = archive.data else { throw XLSXError(reason: "the workbook could not be assembled") }
    return data
  }

  /// Excel's sheet names: at most 31 characters, none of : \ / ? * [ ].
  public static func sheetName(_ name: String) -> String {
    let cleaned = String(name.map { ":\\/?*[]".contains($0) ? "_" : $0 }.prefix(31))
    return cleaned.isEmpty ? "Sheet" : cleaned
  }

  /// Excel counts days from 1899-12-30 (its 1900 leap-year bug folded in).
  public static func serial(year: Int, month: Int, day: Int) -> Int {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let origin = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30))!
    let date = calendar.date(from: DateComponents(year: year, month: month, day: day))!
    return calendar.dateComponents([.day], from: origin, to: date).day!
  }

  static func column(_ index: Int) -> String {
    var index = index + 1
    var name = ""
    while index > 0 {
      let remainder = (index - 1) % 26
      name = String(UnicodeScalar(UInt8(65 + remainder))) + name
      index = (index - 1) / 26
    }
    return name
  }

  /// XML 1.0 forbids most control characters; a note pasted from elsewhere must not break the file.
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
      default:
        if scalar.value < 0x20 || (0xFFFE...0xFFFF).contains(scalar.value) { continue }
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func sheetXML(_ sheet: XLSXSheet) -> String {
    var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
    if sheet.page.fitToWidth { xml += #"<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>"# }
    if sheet.frozenRows > 0 {
      let topLeft = "A\(sheet.frozenRows + 1)"
      xml += #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="\#(sheet.frozenRows)" topLeftCell="\#(topLeft)" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="\#(topLeft)" sqref="\#(topLeft)"/></sheetView></sheetViews>"#
    }
    if !sheet.columnWidths.isEmpty {
      xml += "<cols>"
      for (index, width) in sheet.columnWidths.enumerated() {
        xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
      }
      xml += "</cols>"
    }
    xml += "<sheetData>"
    for (rowIndex, row) in sheet.rows.enumerated() {
      if let height = sheet.rowHeights[rowIndex] {
        xml += #"<row r="\#(rowIndex + 1)" ht="\#(number(height))" customHeight="1">"#
      } else {
        xml += #"<row r="\#(rowIndex + 1)">"#
      }
      for (columnIndex, cell) in row.enumerated() {
        let reference = column(columnIndex) + String(rowIndex + 1)
        switch cell {
        case .empty:
          continue
        case .text(let text, let style):
          let space = text.first?.isWhitespace == true || text.last?.isWhitespace == true ? #" xml:space="preserve""# : ""
          xml += #"<c r="\#(reference)" s="\#(style.rawValue)" t="inlineStr"><is><t\#(space)>\#(escape(text))</t></is></c>"#
        case .number(let value, let style):
          guard value.isFinite else { continue }
          xml += #"<c r="\#(reference)" s="\#(style.rawValue)"><v>\#(number(value))</v></c>"#
        case .date(let year, let month, let day):
          xml += #"<c r="\#(reference)" s="\#(XLSXStyle.date.rawValue)"><v>\#(serial(year: year, month: month, day: day))</v></c>"#
        }
      }
      xml += "</row>"
    }
    xml += "</sheetData>"
    if let filter = sheet.autoFilter {
      xml += #"<autoFilter ref="\#(filter)"/>"#
    } else if let last = sheet.rows.indices.last, sheet.frozenRows > 0, let width = sheet.rows.map(\.count).max(), width > 0 {
      xml += #"<autoFilter ref="A\#(sheet.frozenRows):\#(column(width - 1))\#(last + 1)"/>"#
    }
    if !sheet.merges.isEmpty {
      xml += #"<mergeCells count="\#(sheet.merges.count)">"#
      for range in sheet.merges { xml += #"<mergeCell ref="\#(range)"/>"# }
      xml += "</mergeCells>"
    }
    xml += #"<pageMargins left="0.4" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>"#
    let orientation = sheet.page.landscape ? "landscape" : "portrait"
    let fit = sheet.page.fitToWidth ? #" fitToWidth="1" fitToHeight="0""# : ""
    xml += #"<pageSetup paperSize="\#(sheet.page.paperSize)" orientation="\#(orientation)"\#(fit)/>"#
    xml += "<headerFooter><oddFooter>&amp;C&amp;P / &amp;N</oddFooter></headerFooter>"
    if sheet.radarChart != nil { xml += #"<drawing r:id="rId1"/>"# }
    xml += "</worksheet>"
    return xml
  }

  static func number(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return String(value)
  }

  static func contentTypes(sheetCount: Int, charts: Int = 0) -> String {
    var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    xml += #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
    xml += #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
    xml += #"<Default Extension="xml" ContentType="application/xml"/>"#
    xml += #"<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
    for index in 1...sheetCount {
      xml += #"<Override PartName="/xl/worksheets/sheet\#(index).xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
    }
    for index in stride(from: 1, through: charts, by: 1) {
      xml += #"<Override PartName="/xl/drawings/drawing\#(index).xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/>"#
      xml += #"<Override PartName="/xl/charts/chart\#(index).xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>"#
    }
    xml += #"<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
    xml += #"<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>"#
    xml += #"<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>"#
    xml += "</Types>"
    return xml
  }

  /// A part's relationships: (id, type after …/relationships/, target).
  static func relationships(_ items: [(String, String, String)]) -> String {
    var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    xml += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    for (id, type, target) in items {
      xml += #"<Relationship Id="\#(id)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/\#(type)" Target="\#(target)"/>"#
    }
    return xml + "</Relationships>"
  }

  static func drawingXML(_ chart: XLSXSheet.RadarChart) -> String {
    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
      + #"<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">"#
      + "<xdr:twoCellAnchor>"
      + "<xdr:from><xdr:col>\(chart.from.column)</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>\(chart.from.row)</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
      + "<xdr:to><xdr:col>\(chart.to.column)</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>\(chart.to.row)</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
      + #"<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="\#(escape(chart.title))"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>"#
      + #"<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>"#
      + #"<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart"><c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/></a:graphicData></a:graphic>"#
      + "</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
  }

  static func radarChartXML(_ chart: XLSXSheet.RadarChart, sheetName: String) -> String {
    let sheet = "'" + sheetName.replacingOccurrences(of: "'", with: "''") + "'"
    func range(_ column: Int) -> String {
      let letter = Self.column(column - 1)
      return "\(sheet)!$\(letter)$\(chart.rows.lowerBound):$\(letter)$\(chart.rows.upperBound)"
    }
    return #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
      + #"<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
      + "<c:chart>"
      + "<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>\(escape(chart.title))</a:t></a:r></a:p></c:rich></c:tx><c:overlay val=\"0\"/></c:title>"
      + #"<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:radarChart><c:radarStyle val="marker"/><c:varyColors val="0"/>"#
      + ([XLSXSheet.RadarChart.Series(name: chart.seriesName, valueColumn: chart.valueColumn)] + chart.otherSeries).enumerated()
      .map { index, series in
        #"<c:ser><c:idx val="\#(index)"/><c:order val="\#(index)"/><c:tx><c:v>\#(escape(series.name))</c:v></c:tx>"#
          // Later series (earlier rounds) dashed, as on the comparison page.
          + (index == 0 ? "" : #"<c:spPr><a:ln w="19050"><a:prstDash val="dash"/></a:ln></c:spPr>"#)
          + "<c:cat><c:strRef><c:f>\(escape(range(chart.labelColumn)))</c:f></c:strRef></c:cat>"
          + "<c:val><c:numRef><c:f>\(escape(range(series.valueColumn)))</c:f></c:numRef></c:val></c:ser>"
      }.joined()
      + #"<c:axId val="101"/><c:axId val="102"/></c:radarChart>"#
      + #"<c:catAx><c:axId val="101"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="102"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>"#
      + #"<c:valAx><c:axId val="102"/><c:scaling><c:orientation val="minMax"/><c:max val="\#(number(chart.maximum))"/><c:min val="0"/></c:scaling><c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/><c:numFmt formatCode="General" sourceLinked="0"/><c:majorTickMark val="cross"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="101"/><c:crosses val="autoZero"/><c:crossBetween val="between"/><c:majorUnit val="\#(number(chart.maximum / 5))"/></c:valAx>"#
      + #"</c:plotArea><c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart></c:chartSpace>"#
  }

  static let rootRelationships =
    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    + #"<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>"#
    + #"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#
    + #"<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>"#
    + "</Relationships>"

  static func coreProperties(_ workbook: XLSXWorkbook) -> String {
    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
      + #"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#
      + "<dc:title>\(escape(workbook.title))</dc:title><dc:creator>\(escape(workbook.creator))</dc:creator>"
      + "</cp:coreProperties>"
  }

  static let appProperties =
    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    + #"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Mamori</Application></Properties>"#

  static func workbookXML(_ workbook: XLSXWorkbook) -> String {
    var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    xml += #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
    xml += #"<bookViews><workbookView activeTab="0"/></bookViews><sheets>"#
    var used: Set<String> = []
    var titles: [String] = []
    for (index, sheet) in workbook.sheets.enumerated() {
      var name = sheetName(sheet.name)
      // Sheet names must be unique regardless of case.
      var suffix = 2
      while used.contains(name.lowercased()) {
        name = String(sheetName(sheet.name).prefix(28)) + " \(suffix)"
        suffix += 1
      }
      used.insert(name.lowercased())
      xml += #"<sheet name="\#(escape(name))" sheetId="\#(index + 1)" r:id="rId\#(index + 1)"/>"#
      if let rows = sheet.printTitleRows {
        let quoted = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        titles.append(#"<definedName name="_xlnm.Print_Titles" localSheetId="\#(index)">\#(escape(quoted))!$\#(rows.lowerBound):$\#(rows.upperBound)</definedName>"#)
      }
    }
    xml += "</sheets>"
    if !titles.isEmpty { xml += "<definedNames>" + titles.joined() + "</definedNames>" }
    xml += "</workbook>"
    return xml
  }

  static func workbookRelationships(sheetCount: Int) -> String {
    var xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    xml += #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
    for index in 1...sheetCount {
      xml += #"<Relationship Id="rId\#(index)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet\#(index).xml"/>"#
    }
    xml += #"<Relationship Id="rId\#(sheetCount + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>"#
    xml += "</Relationships>"
    return xml
  }

  /// The cell formats, in the order of `XLSXStyle`'s raw values.
  static let styles =
    #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
    + #"<numFmts count="2"><numFmt numFmtId="164" formatCode="0.0"/><numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/></numFmts>"#
    + #"<fonts count="3"><font><sz val="11"/><name val="Yu Gothic"/><family val="2"/></font><font><b/><sz val="11"/><name val="Yu Gothic"/><family val="2"/></font><font><b/><sz val="14"/><name val="Yu Gothic"/><family val="2"/></font></fonts>"#
    + #"<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>"#
    + #"<fill><patternFill patternType="solid"><fgColor rgb="FFDCE6F1"/><bgColor indexed="64"/></patternFill></fill>"#
    + #"<fill><patternFill patternType="solid"><fgColor rgb="FFF2F2F2"/><bgColor indexed="64"/></patternFill></fill></fills>"#
    + #"<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>"#
    + #"<border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/></right><top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/></bottom><diagonal/></border></borders>"#
    + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
    + #"<cellXfs count="8">"#
    + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
    + #"<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf>"#
    + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
    + #"<xf numFmtId="0" fontId="1" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>"#
    + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>"#
    + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1"/>"#
    + #"<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment vertical="center"/></xf>"#
    + #"<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf>"#
    + "</cellXfs>"
    + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>"#
    + "</styleSheet>"
}

/// The cells of a workbook's sheets as text, as a person sees them: shared and inline strings (without
/// the furigana Japanese Excel stores beside them), numbers, booleans and cached formula results.
///
/// The bytes are uploads, so nothing in them is trusted: the archive is read by ``ZipReader`` (checked
/// offsets, counted inflation), each part is checked to be UTF-8 without a document type before the XML
/// parser sees it, and the counts below bound the work a workbook can cause.
public struct XLSXReader: Sendable {
  public struct Sheet: Sendable {
    public var name: String
    /// 1-based row numbers to 0-based columns to the cell's text; empty cells are absent.
    public var rows: [Int: [Int: String]]

    public var rowNumbers: [Int] { rows.keys.sorted() }
  }

  public var sheets: [Sheet]

  /// METI's workbook has a handful of sheets, an export three.
  public static let maximumSheets = 64
  /// Far more than any checklist's texts.
  public static let maximumSharedStrings = 200_000
  /// Cells with a value, over all sheets: a checklist of 300 items fills about 3,000.
  public static let maximumCells = 500_000
  /// XML elements over all parts read: each one costs a call and a dictionary of attributes.
  public static let maximumElements = 2_000_000
  /// SpreadsheetML nests about 6 deep.
  public static let maximumDepth = 64
  /// Excel's own limits on a sheet: rows 1…1,048,576, columns A…XFD.
  public static let maximumRow = 1_048_576
  public static let maximumColumn = 16_384

  public init(data: Data) throws {
    let archive: ZipReader
    do {
      archive = try ZipReader(data: data)
    } catch {
      throw XLSXError(reason: error.reason)
    }
    var budget = ZipReader.Budget()
    var elements = Self.maximumElements
    func part(_ path: String) throws -> Data? {
      do {
        return try archive.read(path, budget: &budget)
      } catch {
        throw XLSXError(reason: error.reason)
      }
    }
    guard let workbook = try part("xl/workbook.xml") else {
      throw XLSXError(reason: "is not an .xlsx workbook (it has no xl/workbook.xml)")
    }
    let sheetEntries = try Self.parse(workbook, part: "xl/workbook.xml", WorkbookHandler(), elements: &elements).sheets
    let relationships = try part("xl/_rels/workbook.xml.rels").map {
      try Self.parse($0, part: "xl/_rels/workbook.xml.rels", RelationshipsHandler(), elements: &elements).targets
    } ?? [:]
    let shared = try part("xl/sharedStrings.xml").map {
      try Self.parse($0, part: "xl/sharedStrings.xml", SharedStringsHandler(), elements: &elements).strings
    } ?? []
    var sheets: [Sheet] = []
    var cells = Self.maximumCells
    for (index, entry) in sheetEntries.enumerated() {
      var target = relationships[entry.relationship] ?? "worksheets/sheet\(index + 1).xml"
      if target.hasPrefix("/") { target.removeFirst() } else { target = "xl/" + target }
      let shown = ZipReader.printable(target)
      guard let data = try part(target) else {
        throw XLSXError(reason: "lacks the sheet \(ZipReader.printable(entry.name)) (\(shown))")
      }
      let handler = try Self.parse(data, part: target, SheetHandler(shared: shared, cells: cells), elements: &elements)
      cells = handler.cellsLeft
      sheets.append(Sheet(name: entry.name, rows: handler.rows))
    }
    self.sheets = sheets
  }

  /// Parses one part after checking what FoundationXML cannot be trusted with: bytes that are not
  /// UTF-8 (an element name with invalid UTF-8 traps in `_NSXMLParserStartElementNs`), another declared
  /// encoding, and document types (entities). `elements` is what remains of ``maximumElements``.
  static func parse<Handler: XMLHandler>(_ data: Data, part: String, _ handler: Handler, elements: inout Int) throws -> Handler {
    let shown = ZipReader.printable(part)
    if let problem = XMLPreflight.problem(data) { throw XLSXError(reason: "has a part \(shown) that \(problem)") }
    let parser = XMLParser(data: data)
    let delegate = ParserDelegate(handler: handler, elements: elements)
    parser.delegate = delegate
    parser.shouldProcessNamespaces = false
    parser.shouldResolveExternalEntities = false
    let parsed = parser.parse()
    elements = delegate.elementsLeft
    if let failure = delegate.failure { throw XLSXError(reason: failure) }
    guard parsed, !delegate.malformed else { throw XLSXError(reason: "has a part \(shown) that is not well-formed XML") }
    return delegate.handler
  }

  /// "AB12" → 27 (0-based column); nil without letters or beyond column XFD.
  static func columnIndex(_ reference: String) -> Int? {
    var value = 0
    var seen = false
    for scalar in reference.unicodeScalars {
      guard (65...90).contains(scalar.value) else { break }
      value = value * 26 + Int(scalar.value - 64)
      seen = true
      if value > maximumColumn { return nil }
    }
    return seen ? value - 1 : nil
  }

  /// "AB12" → 12; nil without digits or beyond row 1,048,576.
  static func rowIndex(_ reference: String) -> Int? {
    var value = 0
    var seen = false
    for scalar in reference.unicodeScalars where (48...57).contains(scalar.value) {
      value = value * 10 + Int(scalar.value - 48)
      seen = true
      if value > maximumRow { return nil }
    }
    return seen ? value : nil
  }
}

/// Checks made on a part's bytes before an XML parser sees them.
enum XMLPreflight {
  /// What is wrong with the bytes (to follow "has a part P that"), or nil when they may be parsed.
  static func problem(_ data: Data) -> String? {
    guard String(validating: data, as: UTF8.self) != nil else { return "is not UTF-8 text" }
    // A document type is where entities are declared; no part of a workbook has one.
    if data.range(of: Data("<!DOCTYPE".utf8)) != nil || data.range(of: Data("<!ENTITY".utf8)) != nil {
      return "declares a document type or entities"
    }
    // The declaration may name another encoding, which the parser would then believe.
    let head = String(decoding: data.prefix(200), as: UTF8.self)
    if head.hasPrefix("<?xml") || head.hasPrefix("\u{FEFF}<?xml"), let end = head.range(of: "?>") {
      let declaration = head[..<end.lowerBound].lowercased().replacingOccurrences(of: " ", with: "")
      if let range = declaration.range(of: "encoding=") {
        let value = declaration[range.upperBound...].dropFirst().prefix { $0 != "\"" && $0 != "'" }
        if value != "utf-8" && value != "utf8" { return "declares an encoding other than UTF-8" }
      }
    }
    return nil
  }
}

/// Why a handler stopped the parse, in the words of ``XLSXError``.
struct XMLStop: Error {
  var reason: String
}

protocol XMLHandler {
  mutating func start(_ name: String, _ attributes: [String: String]) throws(XMLStop)
  mutating func end(_ name: String)
  mutating func characters(_ text: String)
}

/// The local part of a possibly prefixed element name: some writers use `x:c` for `c`.
private func local(_ name: String) -> Substring {
  name.split(separator: ":").last ?? Substring(name)
}

private final class ParserDelegate<Handler: XMLHandler>: NSObject, XMLParserDelegate {
  var handler: Handler
  /// Why a limit or a handler stopped the parse.
  var failure: String?
  var malformed = false
  var elementsLeft: Int
  var depth = 0

  init(handler: Handler, elements: Int) {
    self.handler = handler
    self.elementsLeft = elements
  }

  func stop(_ parser: XMLParser, _ reason: String) {
    guard failure == nil else { return }
    failure = reason
    parser.abortParsing()
  }

  func parser(
    _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
    attributes: [String: String] = [:]
  ) {
    guard failure == nil else { return }
    elementsLeft -= 1
    depth += 1
    guard elementsLeft >= 0 else {
      return stop(parser, "has more than \(XLSXReader.maximumElements) XML elements; workbooks are refused above that")
    }
    guard depth <= XLSXReader.maximumDepth else {
      return stop(parser, "nests XML elements more than \(XLSXReader.maximumDepth) deep")
    }
    do {
      try handler.start(String(local(elementName)), attributes)
    } catch {
      stop(parser, error.reason)
    }
  }

  func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
    guard failure == nil else { return }
    depth -= 1
    handler.end(String(local(elementName)))
  }

  func parser(_ parser: XMLParser, foundCharacters string: String) {
    guard failure == nil else { return }
    handler.characters(string)
  }

  func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
    malformed = true
  }
}

private struct WorkbookHandler: XMLHandler {
  var sheets: [(name: String, relationship: String)] = []

  mutating func start(_ name: String, _ attributes: [String: String]) throws(XMLStop) {
    guard name == "sheet" else { return }
    guard sheets.count < XLSXReader.maximumSheets else {
      throw XMLStop(reason: "has more than \(XLSXReader.maximumSheets) sheets; workbooks are refused above that")
    }
    let relationship = attributes["r:id"] ?? attributes.first { $0.key.hasSuffix(":id") }?.value ?? ""
    sheets.append((attributes["name"] ?? "Sheet\(sheets.count + 1)", relationship))
  }

  mutating func end(_ name: String) {}
  mutating func characters(_ text: String) {}
}

private struct RelationshipsHandler: XMLHandler {
  var targets: [String: String] = [:]

  mutating func start(_ name: String, _ attributes: [String: String]) throws(XMLStop) {
    guard name == "Relationship", let id = attributes["Id"], let target = attributes["Target"] else { return }
    targets[id] = target
  }

  mutating func end(_ name: String) {}
  mutating func characters(_ text: String) {}
}

private struct SharedStringsHandler: XMLHandler {
  var strings: [String] = []
  var current = ""
  var inText = false
  /// Furigana runs (`rPh`) repeat the reading of the text; they are not part of what the cell says.
  var phoneticDepth = 0

  mutating func start(_ name: String, _ attributes: [String: String]) throws(XMLStop) {
    switch name {
    case "si":
      guard strings.count < XLSXReader.maximumSharedStrings else {
        throw XMLStop(reason: "has more than \(XLSXReader.maximumSharedStrings) shared strings; workbooks are refused above that")
      }
      current = ""
    case "rPh": phoneticDepth += 1
    case "t": inText = phoneticDepth == 0
    default: break
    }
  }

  mutating func end(_ name: String) {
    switch name {
    case "si": strings.append(current)
    case "rPh": phoneticDepth -= 1
    case "t": inText = false
    default: break
    }
  }

  mutating func characters(_ text: String) { if inText { current += text } }
}

private struct SheetHandler: XMLHandler {
  let shared: [String]
  var rows: [Int: [Int: String]] = [:]
  /// What remains of ``XLSXReader/maximumCells`` for this and the following sheets.
  var cellsLeft: Int
  var row = 0
  var nextColumn = 0
  var column = 0
  var type = ""
  var value = ""
  var inValue = false
  var phoneticDepth = 0

  init(shared: [String], cells: Int) {
    self.shared = shared
    self.cellsLeft = cells
  }

  mutating func start(_ name: String, _ attributes: [String: String]) throws(XMLStop) {
    switch name {
    case "row":
      if let text = attributes["r"] {
        guard let number = Int(text), (1...XLSXReader.maximumRow).contains(number) else {
          throw XMLStop(reason: "has a row numbered \(ZipReader.printable(String(text.prefix(20)))), outside Excel's rows 1 to \(XLSXReader.maximumRow)")
        }
        row = number
      } else {
        guard row < XLSXReader.maximumRow else { throw XMLStop(reason: "has more rows than Excel's \(XLSXReader.maximumRow)") }
        row += 1
      }
      nextColumn = 0
    case "c":
      guard cellsLeft > 0 else {
        throw XMLStop(reason: "has more than \(XLSXReader.maximumCells) cells with a value; workbooks are refused above that")
      }
      column = nextColumn
      if let reference = attributes["r"] {
        let shown = ZipReader.printable(String(reference.prefix(20)))
        if let first = reference.unicodeScalars.first, (65...90).contains(first.value) {
          guard let index = XLSXReader.columnIndex(reference) else {
            throw XMLStop(reason: "has a cell \(shown) beyond Excel's last column XFD")
          }
          column = index
        }
        if reference.unicodeScalars.contains(where: { (48...57).contains($0.value) }) {
          guard let number = XLSXReader.rowIndex(reference), number >= 1 else {
            throw XMLStop(reason: "has a cell \(shown) outside Excel's rows 1 to \(XLSXReader.maximumRow)")
          }
          row = number
        }
      }
      guard column < XLSXReader.maximumColumn else {
        throw XMLStop(reason: "has a row with more cells than Excel's \(XLSXReader.maximumColumn) columns")
      }
      type = attributes["t"] ?? "n"
      value = ""
    case "rPh": phoneticDepth += 1
    case "v", "t": inValue = phoneticDepth == 0
    default: break
    }
  }

  mutating func end(_ name: String) {
    switch name {
    case "c":
      nextColumn = column + 1
      let text: String
      switch type {
      case "s": text = Int(value.trimmingCharacters(in: .whitespaces)).flatMap { shared.indices.contains($0) ? shared[$0] : nil } ?? ""
      case "b": text = value == "1" ? "TRUE" : "FALSE"
      case "n": text = Self.number(value)
      default: text = value
      }
      if !text.isEmpty {
        // Counted here and checked at the next cell: `end` cannot stop the parse.
        cellsLeft -= 1
        rows[row, default: [:]][column] = text
      }
    case "rPh": phoneticDepth -= 1
    case "v", "t": inValue = false
    default: break
    }
  }

  mutating func characters(_ text: String) { if inValue { value += text } }

  /// "1.0" and "1" both read as "1": a number typed in a cell is stored as a float.
  static func number(_ text: String) -> String {
    guard let value = Double(text) else { return text }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return text
  }
}
