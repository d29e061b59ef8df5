// What the benchmarks under bench/ share: running the registered benchmarks with the usual console
// output while keeping each one's CPU time per iteration, so that a benchmark's main can then print
// its figures as ratios against the baseline it measured in the same process (absolute times move
// with the machine and its load; ratios much less). Single-threaded, like the benchmarks.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ks::bench {

// CPU time per iteration of each benchmark that ran, by its function name and argument.
class Timings {
 public:
  // With --benchmark_repetitions a benchmark runs several times: the fastest run is kept, the one
  // least disturbed by other work on the machine.
  void Record(std::string_view function, std::string_view arg, double nanos_per_iteration);

  // Nanoseconds of CPU per iteration of e.g. ("BM_Seal", 1024); nullopt when that benchmark did not
  // run (filtered out by --benchmark_filter, or it failed).
  std::optional<double> Nanos(std::string_view function, std::int64_t arg) const;

 private:
  std::map<std::string, double, std::less<>> nanos_;
};

// A benchmark binary's main: parses the benchmark flags from the command line, runs the selected
// benchmarks (printing the usual console table), then hands their timings to `print_ratios`.
// Returns the exit code: 1 when an argument was not understood.
int RunBenchmarksThenPrintRatios(int argc, char** argv, void (*print_ratios)(const Timings&));

// "2.41x", or "-" when either side did not run.
std::string Ratio(std::optional<double> numerator, std::optional<double> denominator);

// "850 ns", "12.3 us", "1.45 ms", or "-".
std::string Duration(std::optional<double> nanos);

// Prints a title, then `rows` under `header` in left-aligned columns, to stdout.
void PrintTable(std::string_view title, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows);

}  // namespace ks::bench
