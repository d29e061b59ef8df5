# The pause image's recipe (sourced by scripts/build-images, which calls build_pause LAYOUT REF
# WORK): the static pause binary as the only file, run as the user of Kubernetes' own pause image.
build_pause() {
  local layout=$1 ref=$2 work=$3
  gcc -static -O2 -s -Wall -Wextra -Werror -o "$work/pause" "$recipes/pause/pause.c"
  umoci insert --image "$layout:$ref" --history.created_by "gcc -static -O2 images/pause/pause.c" \
    "$work/pause" /pause
  umoci config --image "$layout:$ref" --no-history --config.user 65535:65535 --config.entrypoint /pause
}
