# Sourced by scripts that start process groups through the TypeScript drivers (e2e.sh, start.sh).
# kill_recorded_groups FILE: SIGKILL every process group id listed in FILE (one per line) — a backstop
# for when a driver dies without stopping what it started.
kill_recorded_groups() {
  [ -f "$1" ] || return 0
  while read -r pgid; do
    [ -n "$pgid" ] && kill -KILL -- "-$pgid" 2>/dev/null || true
  done <"$1"
}
