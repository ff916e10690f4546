#!/usr/bin/env bash
# Ingest benchmark (issue 3): loads N=5,000 realistic statements into a
# private Dovecot and measures mbsync downloading them and `liaisond run
# --once` ingesting them (fetch + parse + route + commit) on the same
# mailbox, then the APPEND -> routed-notice latency over 200 statements
# with the daemon idling. Needs dovecot, mbsync and mailpit (see .ci/run).
#
#   bench/ingest.sh                 # N=5000, 200 latency samples
#   LIAISOND_BENCH_N=1000 bench/ingest.sh
#
# On a shared machine, compare versions on the same mailbox and load:
#   go build -o /tmp/liaisond-old ./cmd/liaisond    # on the older commit
#   LIAISOND_BENCH_ROUNDS=3 LIAISOND_BENCH_BASELINE=/tmp/liaisond-old bench/ingest.sh
# runs mbsync, this version and the old one three times, in alternating
# order, and reports medians (wall time, ratio to mbsync, CPU user+sys).
# LIAISOND_BENCH_CPUPROFILE=FILE writes a CPU profile of each run (the
# last one wins).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:$(go env GOPATH)/bin:/usr/sbin"
go test ./cmd/liaisond -run '^$' -bench 'IngestVsMbsync|NoticeLatency' -benchtime 1x -timeout 60m -v | grep -E 'Benchmark|statements|round|mbsync|APPEND|ok|FAIL'
