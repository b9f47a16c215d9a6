import Metrics
import Prometheus

/// The process's Prometheus registry. swift-metrics can be bootstrapped only once per process, so the
/// registry is created (and the metrics system bootstrapped) on first use, by whichever application in
/// the process comes first; in tests several applications share it.
enum MetricsRegistry {
  static let shared: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    var factory = PrometheusMetricsFactory(registry: registry)
    // Request latencies of a server-rendered app: from a cached page (ms) to an import (s).
    factory.defaultDurationHistogramBuckets = [
      .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
      .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
    ]
    MetricsSystem.bootstrap(factory)
    return registry
  }()

  static func render() -> String {
    var buffer: [UInt8] = []
    shared.emit(into: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }
}
