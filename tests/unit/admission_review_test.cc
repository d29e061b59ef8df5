#include <gtest/gtest.h>

#include <stdexcept>

#include "core/admission/review.h"
#include "core/common/encoding.h"

namespace ks::admission {
namespace {

using nlohmann::json;

json Review(json request) {
  return {{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}, {"request", std::move(request)}};
}

json PodCreate() {
  return {{"uid", "705ab4f5-6393-11e8-b7cc-42010a800002"},
          {"kind", {{"group", ""}, {"version", "v1"}, {"kind", "Pod"}}},
          {"resource", {{"group", ""}, {"version", "v1"}, {"resource", "pods"}}},
          {"namespace", "project-a"},
          {"operation", "CREATE"},
          {"object", {{"metadata", {{"name", "kernel"}}}, {"spec", {{"containers", json::array()}}}}}};
}

json With(json object, const std::string& key, json value) {
  object[key] = std::move(value);
  return object;
}

https::HttpRequest Post(const std::string& body, std::string content_type = "application/json") {
  return {.method = "POST", .path = "/mutate", .headers = {{"content-type", std::move(content_type)}}, .body = body};
}

// The `response` of a 200 answer.
json ResponseOf(const https::HttpResponse& answer) {
  EXPECT_EQ(answer.status, 200) << answer.body;
  EXPECT_EQ(answer.content_type, "application/json");
  json review = json::parse(answer.body);
  EXPECT_EQ(review["apiVersion"], "admission.k8s.io/v1");
  EXPECT_EQ(review["kind"], "AdmissionReview");
  return review["response"];
}

json DecodedPatch(const json& response) {
  EXPECT_EQ(response["patchType"], "JSONPatch");
  StatusOr<std::string> patch = Base64Decode(response["patch"].get<std::string>());
  EXPECT_TRUE(patch.ok());
  return json::parse(*patch);
}

const AdmissionHandler kAllow = [](const AdmissionRequest&) { return AdmissionDecision::Allow(); };

TEST(ServeAdmission, RefusesABodyNotDeclaredJsonWith415) {
  for (const char* content_type : {"text/plain", "", "application/jsonx", "application/yaml"}) {
    EXPECT_EQ(ServeAdmission(Post(Review(PodCreate()).dump(), content_type), kAllow).status, 415) << content_type;
  }
}

TEST(ServeAdmission, AcceptsJsonWithParametersAndAnyCase) {
  const std::string body = Review(PodCreate()).dump();
  EXPECT_EQ(ServeAdmission(Post(body, "application/json; charset=utf-8"), kAllow).status, 200);
  EXPECT_EQ(ServeAdmission(Post(body, "Application/JSON"), kAllow).status, 200);
}

TEST(ServeAdmission, MalformedJsonIs400WithoutQuotingTheBody) {
  const auto answer = ServeAdmission(Post(R"({"request":{"object":{"spec":{"value":"hunter2" oops)"), kAllow);
  EXPECT_EQ(answer.status, 400);
  EXPECT_NE(answer.body.find("not valid JSON"), std::string::npos) << answer.body;
  EXPECT_EQ(answer.body.find("hunter2"), std::string::npos) << answer.body;
}

TEST(ServeAdmission, InvalidReviewsAre400NamingTheProblem) {
  struct Case {
    std::string name;
    json review;
    std::string message;
  };
  json no_uid = PodCreate();
  no_uid.erase("uid");
  const std::vector<Case> cases = {
      {"not an object", json::array(), "must be a JSON object"},
      {"v1beta1",
       {{"apiVersion", "admission.k8s.io/v1beta1"}, {"kind", "AdmissionReview"}, {"request", PodCreate()}},
       "expected apiVersion admission.k8s.io/v1"},
      {"wrong kind",
       {{"apiVersion", "admission.k8s.io/v1"}, {"kind", "Pod"}, {"request", PodCreate()}},
       "kind AdmissionReview"},
      {"no request", {{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}}, "request is required"},
      {"request not an object", Review("pod"), "request must be an object"},
      {"no uid", Review(no_uid), "request.uid is required"},
      {"empty uid", Review(With(PodCreate(), "uid", "")), "request.uid is required"},
      {"numeric uid", Review(With(PodCreate(), "uid", 7)), "request.uid must be a string"},
      {"groups not an array", Review(With(PodCreate(), "userInfo", {{"groups", "system:masters"}})),
       "request.userInfo.groups must be an array of strings"},
      {"dryRun not a boolean", Review(With(PodCreate(), "dryRun", "yes")), "request.dryRun must be a boolean"},
  };
  for (const auto& c : cases) {
    const auto answer = ServeAdmission(Post(c.review.dump()), kAllow);
    EXPECT_EQ(answer.status, 400) << c.name;
    EXPECT_NE(answer.body.find(c.message), std::string::npos) << c.name << ": " << answer.body;
  }
}

TEST(ServeAdmission, GivesTheHandlerEveryRequestField) {
  json request = PodCreate();
  request["name"] = "kernel";
  request["subResource"] = "status";
  request["dryRun"] = true;
  request["oldObject"] = {{"metadata", {{"name", "old"}}}};
  request["userInfo"] = {{"username", "alice"},
                         {"uid", "u-1"},
                         {"groups", {"team-a", "system:authenticated"}},
                         {"extra", {{"scopes", {"read", "write"}}}}};
  AdmissionRequest seen;
  ResponseOf(ServeAdmission(Post(Review(request).dump()), [&seen](const AdmissionRequest& r) {
    seen = r;
    return AdmissionDecision::Allow();
  }));
  EXPECT_EQ(seen.uid, "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(seen.kind.group, "");
  EXPECT_EQ(seen.kind.version, "v1");
  EXPECT_EQ(seen.kind.kind, "Pod");
  EXPECT_EQ(seen.resource.resource, "pods");
  EXPECT_EQ(seen.sub_resource, "status");
  EXPECT_EQ(seen.name, "kernel");
  EXPECT_EQ(seen.ns, "project-a");
  EXPECT_EQ(seen.operation, "CREATE");
  EXPECT_EQ(seen.user_info.username, "alice");
  EXPECT_EQ(seen.user_info.uid, "u-1");
  EXPECT_EQ(seen.user_info.groups, (std::vector<std::string>{"team-a", "system:authenticated"}));
  EXPECT_EQ(seen.user_info.extra.at("scopes"), (std::vector<std::string>{"read", "write"}));
  EXPECT_EQ(seen.object, request["object"]);
  EXPECT_EQ(seen.old_object, request["oldObject"]);
  EXPECT_TRUE(seen.dry_run);
}

TEST(ServeAdmission, AllowEchoesTheUidAndSendsNoPatchOrStatus) {
  json response = ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), kAllow));
  EXPECT_EQ(response, json({{"uid", "705ab4f5-6393-11e8-b7cc-42010a800002"}, {"allowed", true}}));
}

TEST(ServeAdmission, DenialCarriesCodeMessageAndWarnings) {
  json response = ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), [](const AdmissionRequest&) {
    return AdmissionDecision::Deny(422, "spec.name must be 3 to 63 characters").WithWarning("heads up");
  }));
  EXPECT_EQ(response["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(response["allowed"], false);
  EXPECT_EQ(response["status"], json({{"code", 422}, {"message", "spec.name must be 3 to 63 characters"}}));
  EXPECT_EQ(response["warnings"], json({"heads up"}));
  EXPECT_FALSE(response.contains("patch"));
}

TEST(ServeAdmission, MutationIsSentAsAJsonPatchWithEscapedAnnotationKeys) {
  json review = Review(PodCreate());
  review["request"]["object"]["metadata"]["annotations"] = {{"existing", "kept"}};
  const json original = review["request"]["object"];
  json mutated = original;
  mutated["metadata"]["annotations"]["kernelsecrets.dev/revision"] = "r1";
  mutated["metadata"]["annotations"]["a~tilde"] = "t";

  json response = ResponseOf(ServeAdmission(Post(review.dump()), [&mutated](const AdmissionRequest&) {
    return AdmissionDecision::AllowWithObject(mutated);
  }));
  const json patch = DecodedPatch(response);
  EXPECT_EQ(original.patch(patch), mutated);
  const std::string paths = patch.dump();
  EXPECT_NE(paths.find("/metadata/annotations/kernelsecrets.dev~1revision"), std::string::npos) << paths;
  EXPECT_NE(paths.find("/metadata/annotations/a~0tilde"), std::string::npos) << paths;
}

TEST(ServeAdmission, UnchangedObjectSendsNoPatch) {
  json response = ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), [](const AdmissionRequest& r) {
    return AdmissionDecision::AllowWithObject(r.object);
  }));
  EXPECT_EQ(response["allowed"], true);
  EXPECT_FALSE(response.contains("patch"));
  EXPECT_FALSE(response.contains("patchType"));
}

TEST(ServeAdmission, AThrowingHandlerIsADenialThatKeepsTheUid) {
  json response =
      ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), [](const AdmissionRequest&) -> AdmissionDecision {
        throw std::runtime_error("value hunter2 broke");
      }));
  EXPECT_EQ(response["uid"], "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(response["allowed"], false);
  EXPECT_EQ(response["status"]["code"], 500);
  EXPECT_EQ(response.dump().find("hunter2"), std::string::npos);
}

}  // namespace
}  // namespace ks::admission
