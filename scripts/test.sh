#!/usr/bin/env bash
# The project's test command (README): formatting, vet, the race-enabled
# test suite (integration tests start a private Dovecot and Mailpit), and a
# short bounded fuzzing run of each fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH)/bin:/usr/sbin"

echo "== gofmt"
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then echo "gofmt needed:"; echo "$unformatted"; exit 1; fi

echo "== go vet"
go vet ./...

echo "== go test -race"
go test -race -count=1 -timeout 30m ./...

echo "== fuzz (bounded)"
fuzztime="${FUZZTIME:-15s}"
# Every (package, target) pair: two packages may both have a FuzzParse.
grep -rlE '^func Fuzz[A-Za-z0-9_]+\(' --include='*_test.go' . | sort | while read -r file; do
  pkg=$(dirname "$file")
  for target in $(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' "$file" | sed 's/func //'); do
    echo "-- $target in $pkg ($fuzztime)"
    go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg"
  done
done
echo "== all tests passed"
