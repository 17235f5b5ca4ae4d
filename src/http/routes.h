#pragma once

#include "http/router.h"

namespace shopdesk::http {

//! POST /query, POST /api/v1/answers, feedback, GET /api/v1/categories: no token needed.
void addCustomerRoutes(Router& router, Context& context);
//! Interactions, the review queue, categories, training examples and statistics: admin token.
void addAgentRoutes(Router& router, Context& context);
//! Model versions and training jobs: admin token.
void addModelRoutes(Router& router, Context& context);
//! Named admin tokens, the audit log and GET /api/v1/me: admin token.
void addAccessRoutes(Router& router, Context& context);
//! Topics of the questions no category answers, and filing them: admin token.
void addInsightRoutes(Router& router, Context& context);
//! /healthz, /readyz, /metrics and the OpenAPI document.
void addSystemRoutes(Router& router, Context& context);

//! The OpenAPI 3 document of every route.
const char* openApiDocument();

}  // namespace shopdesk::http
