// The server's guards against abuse, on a real `shopdesk serve`: the per-client rate limit on customer
// routes, CORS closed unless configured, JSON only as application/json, security headers, and connections
// that cannot keep a worker thread (slow requests, idle keep-alive).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "server_process.h"
#include "small_demo.h"

using shopdesk::testing::ServerProcess;
using json = nlohmann::json;

namespace {

std::filesystem::path freshDir(const std::string& name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("shopdesk-limits-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  return dir;
}

httplib::Result ask(httplib::Client& client) {
  return client.Post("/api/v1/answers", R"({"query": "where is my parcel?"})", "application/json");
}

using Seconds = std::chrono::duration<double>;

// One customer's question, answered within `limit` although `why`.
void expectAnsweredWithin(const ServerProcess& server, Seconds limit, const std::string& why) {
  auto client = server.client();
  client.set_read_timeout(static_cast<time_t>(limit.count()) + 2);
  const auto started = std::chrono::steady_clock::now();
  const auto answer = ask(client);
  ASSERT_TRUE(answer) << "no answer while " << why;
  EXPECT_EQ(answer->status, 201);
  EXPECT_LT(Seconds(std::chrono::steady_clock::now() - started).count(), limit.count()) << why;
}

// A client sending its request a byte every 100 ms, as a slowloris attack does; returns how long the server
// let it go on before closing the connection, or `giveUp` when it never did.
Seconds trickle(int port, Seconds giveUp) {
  const int sock = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto started = std::chrono::steady_clock::now();
  const auto elapsed = [&] { return Seconds(std::chrono::steady_clock::now() - started); };
  if (::connect(sock, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(sock);
    return Seconds(0);
  }
  const std::string request = "POST /api/v1/answers HTTP/1.1\r\nHost: x\r\nContent-Length: 30\r\n\r\n";
  for (std::size_t i = 0; elapsed() < giveUp; ++i) {
    char reply;
    if (::send(sock, &request[i % request.size()], 1, MSG_NOSIGNAL) != 1 ||
        ::recv(sock, &reply, 1, MSG_DONTWAIT) == 0)
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ::close(sock);
  return std::min(elapsed(), giveUp);
}

}  // namespace

TEST(RateLimit, ACustomerOverTheLimitGets429WithRetryAfterAndAdminRoutesAreNotLimited) {
  const auto dir = freshDir("rate");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir,
                       {"--bootstrap", "--rate-limit", "2", "--rate-burst", "5"});
  auto client = server.client();
  int created = 0;
  int refusedStatus = 0;
  std::string refusedBody, retryAfter;
  for (int i = 0; i < 20 && !refusedStatus; ++i) {
    auto result = ask(client);
    ASSERT_TRUE(result);
    if (result->status == 201) {
      ++created;
    } else {
      refusedStatus = result->status;
      refusedBody = result->body;
      retryAfter = result->get_header_value("Retry-After");
    }
  }
  // The burst and at most a request or two the rate refilled meanwhile.
  EXPECT_GE(created, 5);
  EXPECT_LE(created, 8);
  ASSERT_EQ(refusedStatus, 429) << refusedBody;
  EXPECT_EQ(json::parse(refusedBody)["error"]["code"], "rate_limited");
  ASSERT_FALSE(retryAfter.empty());
  EXPECT_GE(std::stoi(retryAfter), 1);
  // A forwarded-for header does not buy a fresh budget unless its sender is a trusted proxy.
  EXPECT_EQ(client
                .Post("/api/v1/answers", {{"X-Forwarded-For", "198.51.100.9"}},
                      R"({"query": "where is my parcel?"})", "application/json")
                ->status,
            429);
  // Feedback counts against the same budget; the admin side and health checks do not.
  EXPECT_EQ(
      client
          .Post("/api/v1/interactions/1/feedback", R"({"token": "x", "helpful": true})", "application/json")
          ->status,
      429);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(client.Get("/api/v1/interactions?limit=1", server.admin())->status, 200);
    ASSERT_EQ(client.Get("/healthz")->status, 200);
  }
  // Waiting as long as told is enough.
  std::this_thread::sleep_for(std::chrono::seconds(std::stoi(retryAfter)));
  EXPECT_EQ(ask(client)->status, 201);
  std::filesystem::remove_all(dir);
}

TEST(RateLimit, BehindATrustedProxyEachForwardedClientHasItsOwnBudget) {
  const auto dir = freshDir("proxy");
  ServerProcess server(
      "sqlite:" + (dir / "db").string(), dir,
      {"--bootstrap", "--rate-limit", "0.5", "--rate-burst", "2", "--trusted-proxy", "127.0.0.1"});
  auto client = server.client();
  const auto askFor = [&](const std::string& forwardedFor) {
    return client
        .Post("/api/v1/answers", {{"X-Forwarded-For", forwardedFor}}, R"({"query": "where is my parcel?"})",
              "application/json")
        ->status;
  };
  EXPECT_EQ(askFor("198.51.100.1"), 201);
  EXPECT_EQ(askFor("198.51.100.1"), 201);
  EXPECT_EQ(askFor("198.51.100.1"), 429);
  // Another client behind the same proxy, and one that forged a left-hand hop, count apart from it.
  EXPECT_EQ(askFor("198.51.100.2"), 201);
  EXPECT_EQ(askFor("198.51.100.1, 198.51.100.3"), 201);
  std::filesystem::remove_all(dir);
}

TEST(Cors, ClosedByDefault) {
  const auto dir = freshDir("cors-closed");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir);
  auto client = server.client();
  const httplib::Headers origin = {{"Origin", "https://evil.example"}};
  auto result = client.Get("/api/v1/categories", origin);
  ASSERT_TRUE(result);
  EXPECT_FALSE(result->has_header("Access-Control-Allow-Origin"));
  auto preflight = client.Options("/api/v1/answers", {{"Origin", "https://evil.example"},
                                                      {"Access-Control-Request-Method", "POST"},
                                                      {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_GE(preflight->status, 400);
  EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
  std::filesystem::remove_all(dir);
}

TEST(Cors, OnlyTheConfiguredOriginIsAllowed) {
  const auto dir = freshDir("cors-open");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir, {"--cors-origin", "https://shop.example"});
  auto client = server.client();
  auto preflight = client.Options("/api/v1/answers", {{"Origin", "https://shop.example"},
                                                      {"Access-Control-Request-Method", "POST"},
                                                      {"Access-Control-Request-Headers", "content-type"}});
  ASSERT_TRUE(preflight);
  EXPECT_EQ(preflight->status, 204);
  EXPECT_EQ(preflight->get_header_value("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_NE(preflight->get_header_value("Access-Control-Allow-Headers").find("Content-Type"),
            std::string::npos);
  auto allowed = client.Get("/api/v1/categories", {{"Origin", "https://shop.example"}});
  EXPECT_EQ(allowed->get_header_value("Access-Control-Allow-Origin"), "https://shop.example");
  EXPECT_EQ(allowed->get_header_value("Vary"), "Origin");
  auto other = client.Get("/api/v1/categories", {{"Origin", "https://shop.example.evil"}});
  EXPECT_FALSE(other->has_header("Access-Control-Allow-Origin"));
  std::filesystem::remove_all(dir);
}

TEST(Requests, JsonOnlyAsApplicationJsonAndSecurityHeadersOnEveryAnswer) {
  const auto dir = freshDir("json");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir, {"--bootstrap"});
  auto client = server.client();
  // A cross-site form or text/plain post (sent by browsers without a preflight) is not taken for JSON.
  for (const std::string type : {"text/plain", "application/x-www-form-urlencoded"}) {
    auto result = client.Post("/api/v1/answers", R"({"query": "where is my parcel?"})", type);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 415) << type;
    EXPECT_EQ(json::parse(result->body)["error"]["code"], "unsupported_media_type");
  }
  auto ok = client.Post("/api/v1/answers", R"({"query": "where is my parcel?"})",
                        "application/json; charset=utf-8");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 201);
  for (const auto& path : {"/api/v1/categories", "/no/such/file.js", "/healthz"}) {
    auto result = client.Get(path);
    ASSERT_TRUE(result) << path;
    EXPECT_EQ(result->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_NE(result->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"),
              std::string::npos)
        << path;
    EXPECT_EQ(result->get_header_value("X-Frame-Options"), "DENY") << path;
  }
  std::filesystem::remove_all(dir);
}

// httplib's read timeout is per read, so a byte every 100 ms kept a worker thread forever: with every thread
// held that way nobody else was answered. A request must now arrive whole within --request-timeout.
TEST(Connections, ASlowRequestIsCutOffAtItsDeadlineAndOthersAreAnswered) {
  const auto dir = freshDir("slow");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir,
                       {"--bootstrap", "--threads", "4", "--request-timeout", "1"});
  std::vector<std::future<Seconds>> slow;
  for (int i = 0; i < 4; ++i)  // as many as the server has threads
    slow.push_back(std::async(std::launch::async, trickle, server.port(), Seconds(8)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  expectAnsweredWithin(server, Seconds(4), "slow clients held the threads");
  for (auto& s : slow) {
    const auto lasted = s.get().count();
    EXPECT_GT(lasted, 0.5);
    EXPECT_LT(lasted, 4.0) << "a slow client was not cut off near its 1 s deadline";
  }
  std::filesystem::remove_all(dir);
}

// Keep-alive holds a thread between requests (30 s); a connection idle while another waits for a thread lets
// its thread go, and its client simply connects again.
TEST(Connections, IdleKeepAliveConnectionsGiveTheirThreadToAWaitingClient) {
  const auto dir = freshDir("idle");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir, {"--bootstrap", "--threads", "4"});
  std::vector<httplib::Client> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(server.client());
    idle.back().set_keep_alive(true);
    ASSERT_EQ(idle.back().Get("/healthz")->status, 200);
  }
  expectAnsweredWithin(server, Seconds(2), "idle keep-alive connections held every thread");
  for (auto& c : idle) EXPECT_EQ(c.Get("/healthz")->status, 200);
  std::filesystem::remove_all(dir);
}

// Only a connection no idle thread takes is waiting for one. Counting as waiting every new connection until
// its thread ran made busy keep-alive connections close whenever another client connected, and their
// clients' new connections closed others in turn: wrk at 32 connections reconnected once per 13 answers.
TEST(Connections, KeepAliveConnectionsStayOpenWhileOthersConnectAndThreadsAreFree) {
  const auto dir = freshDir("churn");
  ServerProcess server("sqlite:" + (dir / "db").string(), dir, {"--bootstrap", "--threads", "16"});
  std::atomic<bool> stop = false;
  std::atomic<int> connected = 0;
  std::thread arriving([&] {
    while (!stop) {
      auto client = server.client();  // a new connection each time
      if (client.Get("/healthz")) ++connected;
    }
  });
  auto kept = server.client();
  kept.set_keep_alive(true);
  int requests = 0;
  int closes = 0;
  // Until enough connections came and went beside it: on a busy machine the other thread may rarely run.
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((requests < 300 || connected < 50) && std::chrono::steady_clock::now() < until) {
    const auto reply = kept.Get("/healthz");
    EXPECT_TRUE(reply);
    if (!reply) break;  // not ASSERT: `arriving` must be joined
    ++requests;
    closes += reply->get_header_value("Connection") == "close";
  }
  stop = true;
  arriving.join();
  EXPECT_GT(connected.load(), 10) << "too few new connections to test anything";
  EXPECT_EQ(closes, 0) << "of " << requests << " requests on one keep-alive connection, with 14 threads idle";
  std::filesystem::remove_all(dir);
}
