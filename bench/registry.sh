#!/bin/bash
# Side-by-side pull and push through Debian's docker-registry on 127.0.0.1:
# berth against docker, podman and skopeo on the same images, in the same
# run. Every cold pull goes into a fresh store (a fresh dockerd data root, a
# fresh containers-storage root), every push into an empty registry.
#
#   sudo bench/registry.sh
#
# Workloads: the issue's 3-layer Debian bookworm + python3 image (see
# bench/lib.sh), pushed by Docker so its blobs are gzip as Docker makes them;
# and a 21-layer image of 10 MB layers. Prints medians and berth's ratios,
# and berth's pull time against the machine's floor (the slowest single
# stage — inflate, sha256 or tar -x — of the same bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
command -v podman >/dev/null || apt-get install -y -qq podman >/dev/null
start_dockerd "$work/docker-seed"
build_workload_image

start_registry "$work/registry-main"
make_many_layer_image "$work/many.tar"

# Docker pushes both images, so the registry holds blobs as Docker makes them.
$DOCKER load -q -i "$image_tar" >/dev/null
$DOCKER load -q -i "$work/many.tar" >/dev/null
$DOCKER tag "$image" "$R/bench/py:1"
$DOCKER tag bench/many:1 "$R/bench/many:1"
$DOCKER push -q "$R/bench/py:1" >/dev/null
$DOCKER push -q "$R/bench/many:1" >/dev/null

# --- cold pulls ---
berth_pull_fresh() { export BERTH_ROOT=$work/bp-$1-$RANDOM; }
docker_pull_fresh() { stop_dockerd; start_dockerd "$work/dp-$1-$RANDOM"; }
storage_fresh() { cs=$work/cs-$1-$RANDOM; mkdir -p "$cs"; }
podman_pull() { podman --root "$cs/root" --runroot "$cs/run" --storage-driver overlay pull -q --tls-verify=false "$1"; }
skopeo_pull() { skopeo copy -q --src-tls-verify=false "docker://$1" "containers-storage:[overlay@$cs/root+$cs/run]$1"; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.2f'; }

for name in py many; do
  ref=$R/bench/$name:1
  median_ms berth_pull_fresh "$BERTH" pull -q "$ref"; b=$median
  median_ms docker_pull_fresh $DOCKER pull -q "$ref"; d=$median
  median_ms storage_fresh podman_pull "$ref"; p=$median
  median_ms storage_fresh skopeo_pull "$ref"; s=$median
  printf '%-12s berth %6d ms   docker %6d ms   podman %6d ms   skopeo %6d ms   berth/docker %s  berth/podman %s  berth/skopeo %s\n' \
    "pull $name" "$b" "$d" "$p" "$s" "$(ratio "$b" "$d")" "$(ratio "$b" "$p")" "$(ratio "$b" "$s")"
  eval "pulled_root_$name=\$work/bp-keep-$name"
  BERTH_ROOT=$work/bp-keep-$name "$BERTH" pull -q "$ref" >/dev/null
done

# How many layers at once: berth's default against fewer and more.
for n in 1 3 6 12; do
  median_ms berth_pull_fresh "$BERTH" pull -q --max-concurrent-downloads "$n" "$R/bench/many:1"; m=$median
  median_ms berth_pull_fresh "$BERTH" pull -q --max-concurrent-downloads "$n" "$R/bench/py:1"; p=$median
  printf 'berth pull --max-concurrent-downloads %-2d   many %6d ms   py %6d ms\n' "$n" "$m" "$p"
done

# The floor for the Debian image: its own blobs, each stage alone over all
# of them on one core, with the libraries berth uses (ISA-L, OpenSSL; see
# bench/stage_floor.cpp) and GNU tar for the extraction.
mkdir -p "$work/floor"
g++ -O2 -std=c++20 bench/stage_floor.cpp -o "$work/stage_floor" -lisal -lcrypto
manifest=$(curl -s -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$R/v2/bench/py/manifests/1")
for dg in $(echo "$manifest" | jq -r '.layers[].digest'); do curl -s -o "$work/floor/${dg#sha256:}.gz" "http://$R/v2/bench/py/blobs/$dg"; done
read -r fi fh < <("$work/stage_floor" "$work"/floor/*.gz)
blob_mb=$(( $(cat "$work"/floor/*.gz | wc -c) / 1000000 )); tar_mb=$(( $(cat "$work"/floor/*.tar | wc -c) / 1000000 ))
untar_fresh() { ux=$work/ux-$1-$RANDOM; mkdir -p "$ux"; }
untar() { for f in "$work"/floor/*.tar; do tar -xf "$f" -C "$ux"; done; }
median_ms untar_fresh untar; fx=$median
median_ms berth_pull_fresh "$BERTH" pull -q "$R/bench/py:1"; b=$median
slowest=$(printf '%s\n' "$fi" "$fh" "$fx" | sort -n | tail -1)
echo "floor (py: $blob_mb MB gzip, $tar_mb MB tar; each stage alone, one core): inflate $fi ms, sha256 $fh ms, tar -x $fx ms; berth pull $b ms = $(ratio "$b" "$slowest") x the slowest stage"

# --- pushes into an empty registry ---
registry_fresh() { start_registry "$work/reg-$1-$RANDOM"; }
loaded_fresh() {
  registry_fresh "$1"
  export BERTH_ROOT=$work/bl-$1-$RANDOM
  "$BERTH" load -q -i "$load_tar" >/dev/null
  "$BERTH" tag "$load_image" "$R/bench/pushed:1"
}
pulled_fresh() { registry_fresh "$1"; }
docker_push() { $DOCKER tag "$1" "$R/bench/pushed:1" && $DOCKER push -q "$R/bench/pushed:1"; }
stop_dockerd; start_dockerd "$work/docker-seed"
for name in py many; do
  if [ $name = py ]; then load_tar=$image_tar load_image=$image; else load_tar=$work/many.tar load_image=bench/many:1; fi
  root=$work/bp-keep-$name
  BERTH_ROOT=$root "$BERTH" tag "$R/bench/$name:1" "$R/bench/pushed:1"
  median_ms pulled_fresh env BERTH_ROOT="$root" "$BERTH" push -q "$R/bench/pushed:1"; bp=$median
  median_ms loaded_fresh "$BERTH" push -q "$R/bench/pushed:1"; bl=$median
  median_ms registry_fresh docker_push "$load_image"; d=$median
  podman_store=(--root "$work/cs-podman-push" --runroot "$work/cs-podman-push-run" --storage-driver overlay)
  podman "${podman_store[@]}" load -q -i "$load_tar" >/dev/null
  median_ms registry_fresh podman "${podman_store[@]}" push -q --tls-verify=false "$load_image" "docker://$R/bench/pushed:1"; p=$median
  printf '%-12s berth (pulled) %6d ms   berth (loaded) %6d ms   docker %6d ms   podman %6d ms   pulled/docker %s  loaded/docker %s  loaded/podman %s\n' \
    "push $name" "$bp" "$bl" "$d" "$p" "$(ratio "$bp" "$d")" "$(ratio "$bl" "$d")" "$(ratio "$bl" "$p")"
done
