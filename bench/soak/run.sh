#!/bin/sh
# A whole paper trading day, lived fast: 6.5 hours of market time at --speed 100 (about four
# minutes), headless, on a fresh journal. Prints resident memory at every market hour and fails
# when any hour is more than 10% above the first; then the events, fills, the journal's size and
# `journal verify`. Not part of `swift test`.
#
#   bench/soak/run.sh [--speed N] [--hours H] [--console]
#
# --console runs the console instead, in a private tmux server, sampling its memory from /proc.
set -eu
cd "$(dirname "$0")/../.."
speed=100 hours=6.5 console=0
while [ $# -gt 0 ]; do
    case "$1" in
        --speed) speed=$2; shift 2 ;;
        --hours) hours=$2; shift 2 ;;
        --console) console=1; shift ;;
        *) echo "soak: unknown option $1 (have --speed N, --hours H, --console)" >&2; exit 2 ;;
    esac
done
swift build -c release --product quotedesk >/dev/null
bin=.build/release/quotedesk
work=$(mktemp -d /tmp/quotedesk-soak.XXXXXX)
journal=$work/journal
seconds=$(awk "BEGIN { print $hours * 3600 }")
echo "soak: $hours market hours at ${speed}x ($(awk "BEGIN { printf \"%.0f\", $seconds / $speed }") s), journal $journal"
echo "machine: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) CPUs; $(date -u +%Y-%m-%dT%H:%MZ)"

if [ "$console" = 0 ]; then
    "$bin" run --headless --speed "$speed" --duration "$seconds" --status-every 3600 --journal "$journal" --json \
        >"$work/out" 2>"$work/err"
    grep -v '^{' "$work/out" | sed 's/.*| rss /rss /' | awk '{ printf "hour %d: %s\n", NR, $0 }' >"$work/hours"
    summary=$(tail -n 1 "$work/out")
else
    socket=quotedesk-soak-$$
    tmux -L "$socket" -f /dev/null new-session -d -s soak -x 160 -y 48 \
        "TERM=xterm-256color LANG=C.UTF-8 sh -c 'echo \$\$ > $work/pid; exec $bin run --speed $speed --journal $journal'"
    sleep 2
    pid=$(cat "$work/pid")
    step=$(awk "BEGIN { print 3600 / $speed }")
    : >"$work/hours"
    hour=1
    while [ "$(awk "BEGIN { print ($hour <= $hours) }")" = 1 ]; do
        sleep "$step"
        kb=$(awk '/VmRSS/ { print $2 }' /proc/"$pid"/status)
        echo "hour $hour: rss $(awk "BEGIN { printf \"%.1fMB\", $kb / 1024 }")" >>"$work/hours"
        hour=$((hour + 1))
    done
    tmux -L "$socket" send-keys -t soak q
    sleep 1
    tmux -L "$socket" send-keys -t soak y
    while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
    tmux -L "$socket" kill-server 2>/dev/null || true
    summary="(console: see the journal)"
fi

cat "$work/hours"
echo "summary: $summary"
echo "journal: $(du -h "$journal/journal.qdj" | cut -f1)"
"$bin" journal verify "$journal"
awk '{ sub(/MB/, "", $4); mb[NR] = $4 } END {
    worst = 0
    for (i = 2; i <= NR; i++) if (mb[i] / mb[1] - 1 > worst) worst = mb[i] / mb[1] - 1
    printf "rss: first hour %.1fMB, most above it %.1f%% (limit 10%%)\n", mb[1], worst * 100
    exit worst > 0.10
}' "$work/hours"
