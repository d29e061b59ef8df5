#!/usr/bin/env bash
# Checks that every source file of a module includes only its own headers and those of the modules
# its CMakeLists.txt declares (cmake/kernel_secrets_module.cmake writes LAYERS, one line per module:
# "<folder>: <folder it may include>..."). Prints each offending include and fails; otherwise
# prints how many includes it checked, so that a run that checked nothing is visible and fails too.
#   check_includes.sh LAYERS SOURCE_ROOT
set -euo pipefail
layers=$1
root=$2

declare -A allowed
while IFS=: read -r folder may_include; do
  [[ -n "$folder" ]] && allowed[$folder]="$folder $may_include"
done <"$layers"
((${#allowed[@]})) || { echo "no modules in $layers" >&2; exit 1; }

checked=0
violations=0
for folder in "${!allowed[@]}"; do
  for file in "$root/$folder"/*.h "$root/$folder"/*.cc; do
    [[ -e "$file" ]] || continue
    while IFS=: read -r line included; do
      checked=$((checked + 1))
      included_folder=$(dirname "$included")
      # Only the product's own headers name a module's folder; anything else is a library.
      [[ -n "${allowed[$included_folder]:-}" ]] || continue
      if [[ " ${allowed[$folder]} " != *" $included_folder "* ]]; then
        echo "${file#"$root"/}:$line includes $included, but $folder does not depend on $included_folder" >&2
        violations=$((violations + 1))
      fi
    done < <(grep -no '^#include "[^"]*"' "$file" | sed 's/#include "\(.*\)"/\1/')
  done
done

if ((violations)); then
  echo "$violations include(s) cross a layer; declare the dependency in the module's CMakeLists.txt (DEPENDS) or move the code" >&2
  exit 1
fi
((checked)) || { echo "no includes found under $root: nothing was checked" >&2; exit 1; }
echo "checked $checked includes of ${#allowed[@]} modules"
