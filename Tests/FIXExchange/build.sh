#!/usr/bin/env bash
# Builds the qdx-exchange FIX test exchange: build.sh [OUTPUT] (default ./qdx-exchange
# next to this script; a relative OUTPUT is taken from the caller's directory).
set -euo pipefail
OUT="${1:-}"
if [[ -n "$OUT" && "$OUT" != /* ]]; then OUT="$PWD/$OUT"; fi
cd "$(dirname "${BASH_SOURCE[0]}")"
OUT="${OUT:-./qdx-exchange}"
mkdir -p "$(dirname "$OUT")"
# QuickFIX 1.15 headers use dynamic exception specifications, removed in C++17.
g++ -std=c++11 -O1 -o "$OUT" exchange.cpp $(pkg-config --cflags --libs quickfix) -lpthread
