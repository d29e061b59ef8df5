// Shell completion of the plugin in Cobra's `__complete` protocol, which kubectl (1.26+) speaks
// with a plugin's `kubectl_complete-<plugin>` executable. Pure: read from the command tree.
#pragma once

#include <string>
#include <vector>

namespace ks::plugin {

// `words` follow the plugin's name, the last one being the word to complete (empty at a new
// word). The answer is one candidate a line ("name\tsummary"), then ":<directive>": 4 (no file
// names) or 0 (file names, after a flag that takes a path). Candidates are commands, flags and
// -o's formats; never a value of any other flag.
std::string Complete(const std::vector<std::string>& words);

}  // namespace ks::plugin
