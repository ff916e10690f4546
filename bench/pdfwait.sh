#!/usr/bin/env bash
# PDF wait benchmark (issue 8): a message with N attached PDFs that each
# make a PDF reader loop forever (default 500, generated: see
# internal/hostile.LoopingPDFs) is put in a private Dovecot in front of a
# good statement, and `liaisond run --once` records both: the time it takes
# is how long the good statement waits. Needs dovecot and mailpit.
#
#   bench/pdfwait.sh
#   LIAISOND_BENCH_PDFS=20 bench/pdfwait.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH)/bin:/usr/sbin"
go test ./cmd/liaisond -run '^$' -bench 'GoodStatementBehindHostilePDFs' -benchtime 1x -timeout 120m -v | grep -E 'Benchmark|recorded after|ok|FAIL'
