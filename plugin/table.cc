#include "plugin/table.h"

#include <algorithm>

namespace ks::plugin {
namespace {

void AppendLine(const std::vector<std::string>& cells, const std::vector<std::size_t>& widths, std::string& out) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    line += cells[i];
    if (i + 1 < cells.size()) line += std::string(widths[i] - cells[i].size() + 3, ' ');
  }
  out += line + "\n";
}

}  // namespace

std::string RenderTable(const Table& table) {
  std::vector<std::size_t> widths(table.headers.size());
  for (std::size_t i = 0; i < widths.size(); ++i) {
    widths[i] = table.headers[i].size();
    for (const auto& row : table.rows) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string out;
  AppendLine(table.headers, widths, out);
  for (const auto& row : table.rows) AppendLine(row, widths, out);
  return out;
}

}  // namespace ks::plugin
