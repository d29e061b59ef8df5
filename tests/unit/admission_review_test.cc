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

// Bodies no API server sends. Each must get a 400 that names the problem, never a crash, and never
// an answer that quotes the body: the marker stands for a secret's value.
constexpr const char* kSecretMarker = "hunter2-v4lue";

// A review whose request.object holds `nested` under spec.value.
std::string ReviewWithValue(const std::string& nested) {
  json review = Review(PodCreate());
  review["request"]["object"]["spec"]["value"] = "@";
  std::string body = review.dump();
  body.replace(body.find("\"@\""), 3, nested);
  return body;
}

// Arrays nested `levels` deep around the marker.
std::string NestedArrays(size_t levels) {
  return std::string(levels, '[') + '"' + kSecretMarker + '"' + std::string(levels, ']');
}

void ExpectRefusedWithoutQuoting(const std::string& body, const std::string& message) {
  const auto answer = ServeAdmission(Post(body), kAllow);
  EXPECT_EQ(answer.status, 400) << message;
  EXPECT_NE(answer.body.find(message), std::string::npos) << answer.body;
  EXPECT_EQ(answer.body.find(kSecretMarker), std::string::npos) << answer.body;
}

// Copying such an object, as every handler does, recursed once per level and overflowed the stack
// (signal 11) with a body of 200 kB, far under the server's body cap.
TEST(ServeAdmission, DeepNestingAnywhereIs400InsteadOfACrash) {
  ExpectRefusedWithoutQuoting(ReviewWithValue(NestedArrays(100000)), "nested deeper than 64 levels");
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += R"({"a":)";
  objects += '"' + std::string(kSecretMarker) + '"' + std::string(100000, '}');
  ExpectRefusedWithoutQuoting(ReviewWithValue(objects), "nested deeper than 64 levels");
  ExpectRefusedWithoutQuoting(NestedArrays(100000), "nested deeper than 64 levels");
  // Never closed: the depth is refused before the end of the body is.
  ExpectRefusedWithoutQuoting(std::string(100000, '['), "nested deeper than 64 levels");
}

// The review, request, object and spec are levels 1 to 4, so 60 arrays under spec.value reach 64.
TEST(ServeAdmission, NestingUpToTheLimitIsServed) {
  EXPECT_EQ(ServeAdmission(Post(ReviewWithValue(NestedArrays(60))), kAllow).status, 200);
  ExpectRefusedWithoutQuoting(ReviewWithValue(NestedArrays(61)), "nested deeper than 64 levels");
}

TEST(ServeAdmission, DuplicateKeysAre400) {
  ExpectRefusedWithoutQuoting(ReviewWithValue(std::string(R"({"value":")") + kSecretMarker + R"(","value":"x"})"),
                              "duplicate key");
  std::string body = Review(PodCreate()).dump();
  body.insert(1, R"("kind":"AdmissionReview",)");
  ExpectRefusedWithoutQuoting(body, "duplicate key");
}

TEST(ServeAdmission, TheSameKeyInDifferentObjectsIsServed) {
  for (const char* nested :
       {R"([{"a":1},{"a":2}])", R"({"a":{"a":{"a":1}},"b":{"a":1}})", R"([{"a":[{"a":1}]},{"a":1}])"}) {
    EXPECT_EQ(ServeAdmission(Post(ReviewWithValue(nested)), kAllow).status, 200) << nested;
  }
}

// Integers beyond 64 bits become doubles; beyond a double's range nlohmann throws out_of_range,
// which the parse-error handler did not catch: the router answered 500.
TEST(ServeAdmission, NumbersBeyondADoubleAre400AndLongIntegersAreServed) {
  ExpectRefusedWithoutQuoting(ReviewWithValue("1e999"), "number beyond the range of a double");
  ExpectRefusedWithoutQuoting(ReviewWithValue("-1e999"), "number beyond the range of a double");
  ExpectRefusedWithoutQuoting(ReviewWithValue(std::string(400, '9')), "number beyond the range of a double");
  EXPECT_EQ(ServeAdmission(Post(ReviewWithValue(std::string(30, '9'))), kAllow).status, 200);
}

TEST(ServeAdmission, InvalidUtf8AndControlCharactersInStringsAre400) {
  for (const std::string& bad : {std::string("\xff\xfe"), std::string("\xc3"), std::string("\xed\xa0\x80"),
                                 std::string("\x01"), std::string("\n")}) {
    ExpectRefusedWithoutQuoting(ReviewWithValue('"' + std::string(kSecretMarker) + bad + '"'), "not valid JSON");
  }
}

TEST(ServeAdmission, ALongStringValueIsServed) {
  EXPECT_EQ(ServeAdmission(Post(ReviewWithValue('"' + std::string(2 * 1024 * 1024, 'v') + '"')), kAllow).status, 200);
}

TEST(ServeAdmission, EveryFieldOfTheWrongTypeIs400NamingIt) {
  const json wrong_types[] = {7, true, json::array(), json::object(), "text"};
  const std::vector<std::pair<json::json_pointer, std::string>> fields = {
      {"/apiVersion"_json_pointer, "apiVersion"},
      {"/request/uid"_json_pointer, "request.uid"},
      {"/request/kind"_json_pointer, "request.kind"},
      {"/request/kind/kind"_json_pointer, "request.kind.kind"},
      {"/request/resource/group"_json_pointer, "request.resource.group"},
      {"/request/name"_json_pointer, "request.name"},
      {"/request/namespace"_json_pointer, "request.namespace"},
      {"/request/operation"_json_pointer, "request.operation"},
      {"/request/userInfo"_json_pointer, "request.userInfo"},
      {"/request/userInfo/username"_json_pointer, "request.userInfo.username"},
      {"/request/userInfo/groups"_json_pointer, "request.userInfo.groups"},
      {"/request/userInfo/extra"_json_pointer, "request.userInfo.extra"},
      {"/request/userInfo/extra/scopes"_json_pointer, "request.userInfo.extra.scopes"},
      {"/request/object"_json_pointer, "request.object"},
      {"/request/oldObject"_json_pointer, "request.oldObject"},
      {"/request/dryRun"_json_pointer, "request.dryRun"},
  };
  for (const auto& [pointer, name] : fields) {
    for (const json& value : wrong_types) {
      json review = Review(PodCreate());
      review[pointer] = value;
      const auto answer = ServeAdmission(Post(review.dump()), kAllow);
      // A value of the right type is no case of this test.
      if (answer.status == 200) continue;
      EXPECT_EQ(answer.status, 400) << name << " = " << value.dump();
      EXPECT_NE(answer.body.find(name), std::string::npos) << name << " = " << value.dump() << ": " << answer.body;
    }
  }
}

TEST(ServeAdmission, NamesThatWouldFloodOrForgeALogLineAre400) {
  for (const char* field : {"uid", "name", "namespace", "operation", "subResource"}) {
    for (const std::string& value :
         {std::string(254, 'a'), std::string("a\nforged log line"), std::string("a\x1b[2J")}) {
      const auto answer = ServeAdmission(Post(Review(With(PodCreate(), field, value)).dump()), kAllow);
      EXPECT_EQ(answer.status, 400) << field;
      EXPECT_NE(answer.body.find(std::string("request.") + field + " must be at most 253 bytes"), std::string::npos)
          << answer.body;
    }
  }
  EXPECT_EQ(ServeAdmission(Post(Review(With(PodCreate(), "name", std::string(253, 'a'))).dump()), kAllow).status, 200);
}

TEST(ServeAdmission, UnknownFieldsAreIgnoredAndNullsAreAbsent) {
  json review = Review(With(With(PodCreate(), "futureField", {{"x", 1}}), "oldObject", nullptr));
  review["alsoNew"] = json::array();
  AdmissionRequest seen;
  ResponseOf(ServeAdmission(Post(review.dump()), [&seen](const AdmissionRequest& r) {
    seen = r;
    return AdmissionDecision::Allow();
  }));
  EXPECT_TRUE(seen.old_object.is_null());
  EXPECT_TRUE(seen.object.is_object());
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

// The answer is written as text: what a handler says must arrive as it said it, escaped, and bytes
// that are not UTF-8 as U+FFFD rather than as an answer the API server cannot read.
TEST(ServeAdmission, TheHandlersMessageAndWarningsAreEscapedInTheAnswer) {
  const std::string tricky = "a \"quoted\" \\ back\tslash\n";
  const std::string not_utf8 = "bad \xff byte";
  json response = ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), [&](const AdmissionRequest&) {
    return AdmissionDecision::Deny(403, tricky + not_utf8).WithWarning(tricky).WithWarning(not_utf8);
  }));
  EXPECT_EQ(response["status"]["message"], tricky + "bad \uFFFD byte");
  EXPECT_EQ(response["warnings"], json({tricky, "bad \uFFFD byte"}));
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

TEST(ServeAdmission, AHandlersOwnPatchIsSentAsItIsAndAnEmptyOneAsNone) {
  const json patch = json::array({{{"op", "add"}, {"path", "/metadata/labels"}, {"value", {{"a", "b"}}}}});
  json response = ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), [&patch](const AdmissionRequest&) {
    return AdmissionDecision::AllowWithPatch(patch.dump());
  }));
  EXPECT_EQ(DecodedPatch(response), patch);

  response = ResponseOf(ServeAdmission(Post(Review(PodCreate()).dump()), [](const AdmissionRequest&) {
    return AdmissionDecision::AllowWithPatch(json::array().dump());
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
