#include "operator/key_pacer.h"

#include <gtest/gtest.h>

namespace ks::op {
namespace {

using namespace std::chrono_literals;

class KeyPacerTest : public ::testing::Test {
 protected:
  std::chrono::steady_clock::time_point now_{};
  KeyPacer pacer_{1s, [this] { return now_; }};
};

TEST_F(KeyPacerTest, KeyNotReconciledLatelyGoesAtOnce) { EXPECT_EQ(pacer_.DelayFor("project:a"), 0s); }

TEST_F(KeyPacerTest, KeyReconciledWithinTheWindowWaitsForItsEnd) {
  pacer_.Began("project:a");
  now_ += 300ms;
  EXPECT_EQ(pacer_.DelayFor("project:a"), 700ms);
  EXPECT_EQ(pacer_.DelayFor("project:b"), 0s) << "each key has its own window";
}

TEST_F(KeyPacerTest, WindowEndsOneWindowAfterTheLastReconcileBegan) {
  pacer_.Began("project:a");
  now_ += 1s;
  EXPECT_EQ(pacer_.DelayFor("project:a"), 0s);
  pacer_.Began("project:a");
  now_ += 400ms;
  EXPECT_EQ(pacer_.DelayFor("project:a"), 600ms);
}

}  // namespace
}  // namespace ks::op
