#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace shopdesk::http {

//! Counters and latency histograms in the Prometheus text format.
class Metrics {
 public:
  //! Counts a finished request under its route pattern (never the raw path: ids would explode the series).
  void observeRequest(const std::string& method, const std::string& route, int status, double seconds);
  void countAnswer(const std::string& category, bool handoff);
  void setModelVersion(const std::string& version);

  //! Everything, for GET /metrics.
  std::string render() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::int64_t, kBuckets.size()> buckets{};
    std::int64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::int64_t> requests_;
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::map<std::string, std::int64_t> answers_;
  std::int64_t handoffs_ = 0;
  std::string modelVersion_;
};

}  // namespace shopdesk::http
