#include "plugin/table.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>

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

// "VISIBLE-IN" -> "visibleIn".
std::string CamelCase(const std::string& header) {
  std::string key;
  bool word_start = false;
  for (char c : header) {
    if (c == '-') {
      word_start = true;
      continue;
    }
    const auto letter = static_cast<unsigned char>(c);
    key += static_cast<char>(word_start ? std::toupper(letter) : std::tolower(letter));
    word_start = false;
  }
  return key;
}

void EmitYaml(const nlohmann::json& value, YAML::Emitter& out) {
  if (value.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value.items()) {
      out << YAML::Key << key << YAML::Value;
      EmitYaml(item, out);
    }
    out << YAML::EndMap;
  } else if (value.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& item : value) EmitYaml(item, out);
    out << YAML::EndSeq;
  } else if (value.is_string()) {
    out << YAML::DoubleQuoted << value.get<std::string>();
  } else {
    out << value.dump();
  }
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

nlohmann::json TableObjects(const Table& table) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : table.rows) {
    nlohmann::json object = nlohmann::json::object();
    for (std::size_t i = 0; i < table.headers.size(); ++i) object[CamelCase(table.headers[i])] = row[i];
    rows.push_back(std::move(object));
  }
  return rows;
}

std::string RenderDocument(const nlohmann::json& document, const std::string& format) {
  if (format == "json") return document.dump(2) + "\n";
  YAML::Emitter out;
  EmitYaml(document, out);
  return std::string(out.c_str()) + "\n";
}

}  // namespace ks::plugin
