#pragma once

#include <chrono>

#include "store/store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace shopdesk::http {

//! How long a request for an analysis waits for its result: `?wait=SECONDS` (0-30), 2 s by default.
std::chrono::milliseconds analysisWait(const httplib::Request& request);

//! The answer to a request for an analysis: 200 with its result once it has ended, 202 with the job (and its
//! URL in Location) while it runs, 500 `analysis_failed` with its error when it failed.
void sendAnalysis(httplib::Response& response, const store::AnalysisJob& job);

}  // namespace shopdesk::http
