#include "http/metrics.h"

#include <fmt/format.h>

namespace shopdesk::http {

namespace {

// Label values are escaped as the text format asks: backslash, double quote and newline.
std::string label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    out += c == '\n' ? std::string("\\n") : std::string(1, c);
  }
  return out;
}

}  // namespace

void Metrics::observeRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{method, route, status}];
  auto& h = latency_[{method, route}];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) h.buckets[i] += seconds <= kBuckets[i];
  ++h.count;
  h.sum += seconds;
}

void Metrics::countAnswer(const std::string& category, bool handoff) {
  std::lock_guard lock(mutex_);
  ++answers_[category];
  handoffs_ += handoff;
}

void Metrics::setModelVersion(const std::string& version) {
  std::lock_guard lock(mutex_);
  modelVersion_ = version;
}

std::string Metrics::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out += "# HELP shopdesk_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE shopdesk_http_requests_total counter\n";
  for (const auto& [key, count] : requests_) {
    const auto& [method, route, status] = key;
    out += fmt::format("shopdesk_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                       method, label(route), status, count);
  }
  out += "# HELP shopdesk_http_request_duration_seconds HTTP request latency by route.\n";
  out += "# TYPE shopdesk_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    const auto labels = fmt::format("method=\"{}\",route=\"{}\"", key.first, label(key.second));
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out += fmt::format("shopdesk_http_request_duration_seconds_bucket{{{},le=\"{}\"}} {}\n", labels,
                         kBuckets[i], h.buckets[i]);
    }
    out +=
        fmt::format("shopdesk_http_request_duration_seconds_bucket{{{},le=\"+Inf\"}} {}\n", labels, h.count);
    out += fmt::format("shopdesk_http_request_duration_seconds_sum{{{}}} {}\n", labels, h.sum);
    out += fmt::format("shopdesk_http_request_duration_seconds_count{{{}}} {}\n", labels, h.count);
  }
  out += "# HELP shopdesk_answers_total Answers given, by predicted category.\n";
  out += "# TYPE shopdesk_answers_total counter\n";
  for (const auto& [category, count] : answers_) {
    out += fmt::format("shopdesk_answers_total{{category=\"{}\"}} {}\n", label(category), count);
  }
  out += "# HELP shopdesk_handoffs_total Answers handed off to a person.\n";
  out += "# TYPE shopdesk_handoffs_total counter\n";
  out += fmt::format("shopdesk_handoffs_total {}\n", handoffs_);
  out += "# HELP shopdesk_model_info The model version being served.\n";
  out += "# TYPE shopdesk_model_info gauge\n";
  if (!modelVersion_.empty())
    out += fmt::format("shopdesk_model_info{{version=\"{}\"}} 1\n", label(modelVersion_));
  return out;
}

}  // namespace shopdesk::http
