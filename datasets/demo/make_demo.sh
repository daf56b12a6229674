#!/usr/bin/env bash
# Rebuilds datasets/demo/clothing from clothing-dataset-small (CC0): the first N images (sorted by
# name) of every class, centre-cropped square and downscaled to 96 px, so `make demo` runs on a fresh
# clone without ../shared. Needs ImageMagick's `convert`.
set -euo pipefail
src=${1:-../shared/data/clothing-dataset-small}
dst=$(dirname "$0")/clothing
rm -rf "$dst"
for split in train:40 validation:12; do
  name=${split%%:*}; count=${split##*:}
  for class_dir in "$src/$name"/*/; do
    class=$(basename "$class_dir"); mkdir -p "$dst/$name/$class"
    ls "$class_dir" | sort | head -n "$count" | while read -r f; do
      "${CONVERT:-/usr/bin/convert}" "$class_dir/$f" -resize 96x96^ -gravity center -extent 96x96 -strip -quality 85 "$dst/$name/$class/$f"
    done
  done
done
cp "$src/LICENSE" "$dst/LICENSE"
du -sh "$dst"
