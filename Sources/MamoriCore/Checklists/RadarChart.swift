import Foundation

/// A radar chart as SVG text: one axis per field (3 to 12), rings at 0, 25, 50, 75 and 100 %, and one
/// or two polygons. Made here, in plain Swift, so that pages, downloads and tests share one drawing;
/// every text is escaped, and the chart carries a title and description for screen readers.
public enum RadarChart {
  public struct Series: Sendable {
    public var name: String
    /// One value per axis, 0–100; nil where the field has no score.
    public var values: [Double?]
    public var cssClass: String

    public init(name: String, values: [Double?], cssClass: String) {
      self.name = name
      self.values = values
      self.cssClass = cssClass
    }
  }

  /// Colours are inline attributes so that a downloaded file looks the same outside Mamori; they are
  /// SVG presentation attributes, not `style`, which the page's Content-Security-Policy would block.
  static let palette: [(stroke: String, fill: String)] = [("#1f3a5f", "#1f3a5f"), ("#c75000", "#c75000")]

  /// `caption`: lines printed under the chart (a downloaded file names its checklist, 「Mamori版」 and
  /// the date, so that a chart pasted into a report cannot pass for METI's).
  public static func svg(
    axes: [String], series: [Series], title: String, description: String, emptyLabel: String = "—", size: Int = 480,
    id: String = "radar", caption: [String] = []
  ) -> String {
    precondition((3...12).contains(axes.count), "a radar chart needs 3 to 12 axes")
    // Room left and right for labels: Japanese field names run to ten or more characters.
    let margin = size / 4
    let centre = Double(size) / 2
    let radius = Double(size) * 0.30
    func point(_ axis: Int, _ fraction: Double) -> (Double, Double) {
      let angle = -Double.pi / 2 + 2 * Double.pi * Double(axis) / Double(axes.count)
      return (centre + radius * fraction * cos(angle), centre + radius * fraction * sin(angle))
    }
    func format(_ value: Double) -> String { String(format: "%.1f", value) }
    func polygon(_ fraction: (Int) -> Double) -> String {
      (0..<axes.count).map { axis in
        let (x, y) = point(axis, fraction(axis))
        return "\(format(x)),\(format(y))"
      }.joined(separator: " ")
    }

    let height = size + (caption.isEmpty ? 0 : 12 + 18 * caption.count)
    var svg = """
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="\(-margin) 0 \(size + 2 * margin) \(height)" \
      width="\(size + 2 * margin)" height="\(height)" \
      role="img" aria-labelledby="\(escape(id))-title \(escape(id))-desc" class="radar-chart" \
      font-family="system-ui, 'Hiragino Sans', 'Noto Sans JP', 'Yu Gothic', sans-serif">
      <title id="\(escape(id))-title">\(escape(title))</title>
      <desc id="\(escape(id))-desc">\(escape(description))</desc>

      """
    // Rings and their percentages.
    for ring in [0.25, 0.5, 0.75, 1.0] {
      svg += "<polygon points=\"\(polygon { _ in ring })\" fill=\"none\" stroke=\"#cfd6de\" stroke-width=\"1\"/>\n"
      let (x, y) = point(0, ring)
      svg += "<text x=\"\(format(x + 4))\" y=\"\(format(y + 4))\" font-size=\"10\" fill=\"#4a5561\">\(Int(ring * 100))%</text>\n"
    }
    // Axes and their labels.
    for (axis, label) in axes.enumerated() {
      let (x, y) = point(axis, 1)
      svg += "<line x1=\"\(format(centre))\" y1=\"\(format(centre))\" x2=\"\(format(x))\" y2=\"\(format(y))\" stroke=\"#cfd6de\" stroke-width=\"1\"/>\n"
      let (lx, ly) = point(axis, 1.18)
      let anchor = abs(lx - centre) < 1 ? "middle" : (lx > centre ? "start" : "end")
      svg += "<text x=\"\(format(lx))\" y=\"\(format(ly + 4))\" font-size=\"13\" text-anchor=\"\(anchor)\" fill=\"#1b1f24\">\(escape(label))</text>\n"
    }
    // The series: missing values sit at the centre and are marked hollow.
    for (index, entry) in series.enumerated() {
      let colour = palette[index % palette.count]
      let values = (0..<axes.count).map { $0 < entry.values.count ? entry.values[$0] : nil }
      svg += "<g class=\"\(escape(entry.cssClass))\"><title>\(escape(entry.name))</title>\n"
      svg += "<polygon points=\"\(polygon { min(max((values[$0] ?? 0) / 100, 0), 1) })\" fill=\"\(colour.fill)\" fill-opacity=\"\(index == 0 ? "0.25" : "0.12")\" stroke=\"\(colour.stroke)\" stroke-width=\"2\"\(index == 0 ? "" : " stroke-dasharray=\"6 4\"")/>\n"
      for (axis, value) in values.enumerated() {
        let (x, y) = point(axis, min(max((value ?? 0) / 100, 0), 1))
        let fill = value == nil ? "#ffffff" : colour.stroke
        svg += "<circle cx=\"\(format(x))\" cy=\"\(format(y))\" r=\"4\" fill=\"\(fill)\" stroke=\"\(colour.stroke)\" stroke-width=\"1.5\"><title>\(escape(axes[axis])): \(escape(value.map { Scoring.format($0) + "%" } ?? emptyLabel))</title></circle>\n"
      }
      svg += "</g>\n"
    }
    // A legend when two series are compared.
    if series.count > 1 {
      for (index, entry) in series.enumerated() {
        let y = Double(size) - 12 - Double(series.count - 1 - index) * 18
        let colour = palette[index % palette.count]
        svg += "<line x1=\"12\" y1=\"\(format(y - 4))\" x2=\"36\" y2=\"\(format(y - 4))\" stroke=\"\(colour.stroke)\" stroke-width=\"2\"\(index == 0 ? "" : " stroke-dasharray=\"6 4\"")/>\n"
        svg += "<text x=\"42\" y=\"\(format(y))\" font-size=\"12\" fill=\"#1b1f24\">\(escape(entry.name))</text>\n"
      }
    }
    if !caption.isEmpty {
      svg += "<g class=\"caption\">\n"
      for (index, line) in caption.enumerated() {
        let y = Double(size) + 18 + Double(index) * 18
        svg += "<text x=\"\(-margin + 8)\" y=\"\(format(y))\" font-size=\"12\" fill=\"#4a5561\">\(escape(line))</text>\n"
      }
      svg += "</g>\n"
    }
    svg += "</svg>\n"
    return svg
  }

  /// The chart's description for screen readers: every field with its score, "ルール 75.0%, 人 —".
  public static func describe(_ scores: [(name: String, score: Double?)], noScore: String) -> String {
    scores.map { "\($0.name) \($0.score.map { Scoring.format($0) + "%" } ?? noScore)" }.joined(separator: ", ")
  }

  /// The five characters that matter in XML text and attributes.
  public static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.count)
    for character in text {
      switch character {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\"": result += "&quot;"
      case "'": result += "&#39;"
      default: result.append(character)
      }
    }
    return result
  }
}
