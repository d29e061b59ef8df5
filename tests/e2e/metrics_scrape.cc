#include "tests/e2e/metrics_scrape.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "tests/e2e/kubectl.h"

namespace ks::e2e {

std::string ScrapeMetrics(Component component) {
  const char* port =
      std::getenv(component == Component::kOperator ? "KERNEL_SECRETS_OPERATOR_PORT" : "KERNEL_SECRETS_INJECTOR_PORT");
  const char* ca = std::getenv("KERNEL_SECRETS_WEBHOOK_CA");
  EXPECT_TRUE(port && ca) << "source the state dir's env file of scripts/local-up";
  if (!port || !ca) return "";
  return RunCommand({"curl", "-sS", "--cacert", ca, "https://127.0.0.1:" + std::string(port) + "/metrics"})
      .out;
}

std::optional<double> SeriesValue(const std::string& exposition, const std::string& series) {
  const std::string line_start = "\n" + series + " ";
  const std::size_t at = ("\n" + exposition).find(line_start);
  if (at == std::string::npos) return std::nullopt;
  return std::stod(exposition.substr(at + line_start.size() - 1));
}

}  // namespace ks::e2e
