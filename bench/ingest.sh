#!/usr/bin/env bash
# Ingest benchmark (issue 3): loads N=5,000 realistic statements into a
# private Dovecot and measures mbsync downloading them and `liaisond run
# --once` ingesting them (fetch + parse + route + commit) on the same
# mailbox, then the APPEND -> routed-notice latency over 200 statements
# with the daemon idling. Needs dovecot, mbsync and mailpit (see .ci/run).
#
#   bench/ingest.sh                 # N=5000, 200 latency samples
#   LIAISOND_BENCH_N=1000 bench/ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH)/bin:/usr/sbin"
go test ./cmd/liaisond -run '^$' -bench 'IngestVsMbsync|NoticeLatency' -benchtime 1x -timeout 60m -v | grep -E 'Benchmark|statements|mbsync|APPEND|ok|FAIL'
