#!/usr/bin/env bash
# Memory benchmark (issue 8): loads N statements of S MB each (default
# 10 x 30 MB, a statement with a large scanned annex, generated: see
# internal/samplemail.Big) into a private Dovecot and reports the peak
# resident memory of `liaisond run --once` recording them (the child's
# maximum RSS from the kernel, what /usr/bin/time -v prints). Needs dovecot
# and mailpit (see .ci/run).
#
#   bench/memory.sh                                   # 10 x 30 MB
#   LIAISOND_BENCH_BIG_N=20 LIAISOND_BENCH_BIG_MB=62 bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH)/bin:/usr/sbin"
go test ./cmd/liaisond -run '^$' -bench 'BigStatementsRSS' -benchtime 1x -timeout 30m -v | grep -E 'Benchmark|statements of|ok|FAIL'
