// Plain-text tables in kubectl's style: upper-case headers, columns padded to their widest cell
// and separated by three spaces, no trailing blanks. Pure.
#pragma once

#include <string>
#include <vector>

namespace ks::plugin {

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // each as many cells as headers
};

// One line per row after the header line, each ending in "\n".
std::string RenderTable(const Table& table);

}  // namespace ks::plugin
