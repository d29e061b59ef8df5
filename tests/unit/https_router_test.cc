#include <gtest/gtest.h>

#include <stdexcept>

#include "core/https/router.h"

namespace ks::https {
namespace {

HttpRequest Get(std::string path) { return {.method = "GET", .path = std::move(path)}; }

TEST(Router, DispatchesOnExactPathAndMethod) {
  Router router;
  router.Add("GET", "/a", [](const HttpRequest&) { return HttpResponse::Text(200, "get a"); });
  router.Add("POST", "/a", [](const HttpRequest&) { return HttpResponse::Text(201, "post a"); });
  EXPECT_EQ(router.Dispatch(Get("/a")).body, "get a");
  EXPECT_EQ(router.Dispatch({.method = "POST", .path = "/a"}).status, 201);
  EXPECT_EQ(router.Dispatch(Get("/a/")).status, 404);
  EXPECT_EQ(router.Dispatch(Get("/")).status, 404);
}

TEST(Router, WrongMethodIs405ListingTheAllowedOnes) {
  Router router;
  router.Add("POST", "/mutate", [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  router.Add("PUT", "/mutate", [](const HttpRequest&) { return HttpResponse::Text(200, ""); });
  HttpResponse response = router.Dispatch(Get("/mutate"));
  EXPECT_EQ(response.status, 405);
  ASSERT_EQ(response.headers.size(), 1u);
  EXPECT_EQ(response.headers[0].first, "Allow");
  EXPECT_EQ(response.headers[0].second, "POST, PUT");
}

TEST(Router, AThrowingHandlerIs500WithAGenericBody) {
  Router router;
  router.Add("GET", "/std", [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("value=hunter2"); });
  router.Add("GET", "/other", [](const HttpRequest&) -> HttpResponse { throw 42; });
  for (const char* path : {"/std", "/other"}) {
    HttpResponse response = router.Dispatch(Get(path));
    EXPECT_EQ(response.status, 500) << path;
    EXPECT_EQ(response.body.find("hunter2"), std::string::npos) << path;
  }
}

TEST(HttpRequest, HeaderLookupIgnoresCase) {
  HttpRequest request{.headers = {{"content-type", "application/json"}}};
  EXPECT_EQ(request.Header("Content-Type"), "application/json");
  EXPECT_EQ(request.Header("Accept"), "");
}

}  // namespace
}  // namespace ks::https
