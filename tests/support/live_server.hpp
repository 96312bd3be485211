// A real http::Server for the tests that must go through the socket (the hostile corpus, the
// security headers of every sort of response): a router on 127.0.0.1, an ephemeral port, its
// own thread, stopped when the object goes.
#pragma once

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "platform/http/http.hpp"

namespace chidoan::testing {

class LiveServer {
 public:
  LiveServer(const http::Router& router, const http::Limits& limits, http::Metrics& metrics, int workers = 2,
             int io_threads = 1)
      : server_(router, limits, metrics, workers, io_threads) {
    auto listening = server_.listen("127.0.0.1:0");
    EXPECT_TRUE(listening) << listening.error().message;
    thread_ = std::thread([this] { server_.run(false, std::chrono::seconds(5)); });
  }
  LiveServer(const LiveServer&) = delete;
  LiveServer& operator=(const LiveServer&) = delete;
  ~LiveServer() {
    server_.stop();
    thread_.join();
  }
  uint16_t port() const { return server_.port(); }

 private:
  http::Server server_;
  std::thread thread_;
};

}  // namespace chidoan::testing
