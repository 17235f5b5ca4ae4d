#include "http/analysis_reply.h"

#include <httplib.h>

#include "http/api_error.h"
#include "http/codecs.h"
#include "http/request_decoders.h"
#include "http/router.h"

namespace shopdesk::http {

std::chrono::milliseconds analysisWait(const httplib::Request& request) {
  return std::chrono::seconds(integerParam(request, "wait", 0, 30).value_or(2));
}

void sendAnalysis(httplib::Response& response, const store::AnalysisJob& job) {
  if (job.status == "succeeded") {
    sendJson(response, 200, job.result.value_or("{}"));
  } else if (job.status == "failed") {
    throw ApiError(500, "analysis_failed", job.error.value_or("the analysis failed"));
  } else {
    response.set_header("Location", "/api/v1/analysis-jobs/" + std::to_string(job.id));
    sendJson(response, 202, nlohmann::json{{"job", toJson(job)}}.dump());
  }
}

}  // namespace shopdesk::http
