// Plain-text tables in kubectl's style: upper-case headers, columns padded to their widest cell
// and separated by three spaces, no trailing blanks; and the same rows for -o json|yaml. Pure.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ks::plugin {

struct Table {
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> rows;  // each as many cells as headers
};

// One line per row after the header line, each ending in "\n".
std::string RenderTable(const Table& table);

// The rows as objects keyed by the headers in camelCase ("VISIBLE-IN" is "visibleIn"), cells as
// strings, in the table's order.
nlohmann::json TableObjects(const Table& table);

// `document` as -o asks for it: "json" (indented by two) or "yaml", ending in a newline.
std::string RenderDocument(const nlohmann::json& document, const std::string& format);

}  // namespace ks::plugin
