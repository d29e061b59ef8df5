#include "bench/timings.h"

#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace ks::bench {
namespace {

std::string Key(std::string_view function, std::string_view arg) {
  return std::string(function) + "/" + std::string(arg);
}

// The console reporter, which also hands every successful run's CPU time to `timings`.
class RecordingReporter : public benchmark::ConsoleReporter {
 public:
  // No colour codes: the output usually goes to a log or a pipe.
  explicit RecordingReporter(Timings& timings) : ConsoleReporter(OO_None), timings_(timings) {}

  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& run : runs) {
      if (run.run_type != Run::RT_Iteration || run.error_occurred) continue;
      const double seconds = run.GetAdjustedCPUTime() / benchmark::GetTimeUnitMultiplier(run.time_unit);
      timings_.Record(run.run_name.function_name, run.run_name.args, seconds * 1e9);
    }
  }

 private:
  Timings& timings_;
};

std::string Format(const char* format, double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, value);
  return buffer;
}

}  // namespace

void Timings::Record(std::string_view function, std::string_view arg, double nanos_per_iteration) {
  auto [it, inserted] = nanos_.try_emplace(Key(function, arg), nanos_per_iteration);
  if (!inserted) it->second = std::min(it->second, nanos_per_iteration);
}

std::optional<double> Timings::Nanos(std::string_view function, std::int64_t arg) const {
  auto it = nanos_.find(Key(function, std::to_string(arg)));
  return it == nanos_.end() ? std::nullopt : std::optional(it->second);
}

int RunBenchmarksThenPrintRatios(int argc, char** argv, void (*print_ratios)(const Timings&)) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  Timings timings;
  RecordingReporter reporter(timings);
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  print_ratios(timings);
  return 0;
}

std::string Ratio(std::optional<double> numerator, std::optional<double> denominator) {
  if (!numerator || !denominator || *denominator <= 0) return "-";
  return Format("%.2fx", *numerator / *denominator);
}

std::string Duration(std::optional<double> nanos) {
  if (!nanos) return "-";
  if (*nanos < 1e3) return Format("%.0f ns", *nanos);
  if (*nanos < 1e6) return Format("%.1f us", *nanos / 1e3);
  return Format("%.2f ms", *nanos / 1e6);
}

void PrintTable(std::string_view title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> widths;
  for (const std::string& cell : header) widths.push_back(cell.size());
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 3, ' ');
    }
    std::cout << line << '\n';
  };
  std::cout << '\n' << title << '\n';
  print_row(header);
  for (const auto& row : rows) print_row(row);
}

}  // namespace ks::bench
