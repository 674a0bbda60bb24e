#!/usr/bin/env bash
# Regenerate the Python FlatBuffer code from runtime_c/schema/mote.fbs (needs Debian's flatbuffers-compiler).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
flatc --python -o "$tmp" "$here/../../runtime_c/schema/mote.fbs"
rm -f "$here"/[A-Z]*.py
cp "$tmp"/mote/converter/fbs/*.py "$here/"
rm -rf "$tmp"
