# What the scripts show while they work, sourced by scripts/run, test, bench, bench-sessions,
# install and local-model (and used by scripts/startup-order through scripts/build):
#   step TEXT               "==> TEXT", and starts the step's clock
#   step_done [TEXT]        "    TEXT (12.3 s)": what the step came to and how long it took
#   run_logged LOG CMD...   runs CMD with its output in LOG, showing a ticking status line;
#                           on failure prints the log's last lines and names the log
#   swift_build NAME ARGS.. `swift build ARGS` with SwiftPM's [n/N] lines condensed into one
#                           status line; the full output goes to .build/logs/NAME.log
# All of it goes to stderr (stdout stays the program's: `scripts/run -p` answers on stdout).
# On a terminal the status line is redrawn in place every second; elsewhere (CI, a pipe, a
# file) a plain line is printed every PROGRESS_INTERVAL seconds (default 5), no carriage
# returns. Compiler and linker warnings stay in the log: they are the toolchain's business
# (e.g. the static runtime's "mktemp is dangerous"), not the user's, and errors are shown.
# shellcheck shell=bash

PROGRESS_INTERVAL="${PROGRESS_INTERVAL:-5}"
[[ "$PROGRESS_INTERVAL" =~ ^[1-9][0-9]*$ ]] || PROGRESS_INTERVAL=5
if [ -t 2 ] && [ "${TERM:-dumb}" != dumb ]; then progress_tty=1; else progress_tty=""; fi
# Milliseconds since the epoch, from bash's own clock: `now_ms` prints it, `tick` puts it in
# NOW_MS without starting a subshell (progress_show runs on every line a build prints).
tick() { local t="${EPOCHREALTIME/./}"; NOW_MS=$((10#${t:0:-3})); }
now_ms() { tick; printf '%s\n' "$NOW_MS"; }
tick
step_started_ms=$NOW_MS
progress_started=$NOW_MS

# 75 -> "1m15s", 9 -> "9s".
format_seconds() {
  local s="$1"
  if ((s >= 60)); then printf '%dm%02ds' $((s / 60)) $((s % 60)); else printf '%ds' "$s"; fi
}

# Milliseconds -> "12.3 s" or "2m05s".
format_ms() {
  local ms="$1"
  if ((ms >= 60000)); then format_seconds $((ms / 1000)); else printf '%d.%d s' $((ms / 1000)) $((ms % 1000 / 100)); fi
}

progress_clear() { if [ -n "$progress_tty" ]; then printf '\r\033[K' >&2; fi; }

step() {
  progress_clear
  if [ -n "$progress_tty" ]; then printf '\033[1m==> %s\033[0m\n' "$*" >&2; else printf '==> %s\n' "$*" >&2; fi
  tick
  step_started_ms=$NOW_MS
  progress_started=$NOW_MS
}

step_done() {
  progress_clear
  tick
  printf '    %s (%s)\n' "${1:-done}" "$(format_ms $((NOW_MS - step_started_ms)))" >&2
}

# One status line, "TEXT (time since progress_started)": redrawn in place on a terminal (cut to
# its width), printed as a plain line every PROGRESS_INTERVAL seconds elsewhere. Call it as
# often as you like.
progress_last_plain=0
progress_last_draw=0
progress_show() {
  tick
  local elapsed=$(((NOW_MS - progress_started) / 1000))
  if [ -n "$progress_tty" ]; then
    ((NOW_MS - progress_last_draw >= 100)) || return 0
    progress_last_draw=$NOW_MS
    local text
    text="$1 ($(format_seconds "$elapsed"))"
    local columns
    columns=$(stty size <&2 2>/dev/null | cut -d' ' -f2)
    [[ "$columns" =~ ^[0-9]+$ ]] && ((columns > 10)) || columns=80
    printf '\r\033[K    %s' "${text:0:columns-5}" >&2
  elif ((NOW_MS - progress_last_plain >= PROGRESS_INTERVAL * 1000)); then
    progress_last_plain=$NOW_MS
    printf '    %s (%s)\n' "$1" "$(format_seconds "$elapsed")" >&2
  fi
}

# Reads lines from file descriptor $1 into the log $2 until the end, calling `$3 LINE` on each
# and `progress_show "$(status)"` at least once a second. The status is kept in progress_status.
progress_status=""
progress_follow() {
  local fd="$1" log="$2" on_line="$3" chunk partial="" rc
  tick
  progress_last_plain=$NOW_MS
  while :; do
    if IFS= read -r -t 1 -u "$fd" chunk; then
      chunk="$partial$chunk"
      partial=""
      printf '%s\n' "$chunk" >>"$log"
      "$on_line" "$chunk"
    else
      rc=$?
      if ((rc > 128)); then
        partial+="$chunk"  # timed out mid-line: bash keeps what it read so far
      else
        chunk="$partial$chunk"
        if [ -n "$chunk" ]; then printf '%s\n' "$chunk" >>"$log"; "$on_line" "$chunk"; fi
        break
      fi
    fi
    progress_show "$progress_status"
  done
}

# progress_run LOG ON_LINE STATUS CMD...: runs CMD with its output in LOG (created anew), calling
# `ON_LINE LINE` on each line and showing the status line meanwhile; sets progress_rc to CMD's
# exit status.
progress_rc=0
progress_run() {
  local log="$1" on_line="$2"
  progress_status="$3"
  shift 3
  mkdir -p "$(dirname "$log")"
  : >"$log"
  local fd status_file="$log.status"
  rm -f "$status_file"
  exec {fd}< <("$@" 2>&1; echo "$?" >"$status_file")
  tick
  progress_started=$NOW_MS
  progress_follow "$fd" "$log" "$on_line"
  exec {fd}<&-
  wait $! 2>/dev/null || true
  progress_rc=$(cat "$status_file" 2>/dev/null || echo 1)
  rm -f "$status_file"
  progress_clear
}

# Runs a command with its output in a log, showing what it does and the log's last line.
#   run_logged LOG "what it is doing" CMD...
run_logged() {
  local log="$1" what="$2"
  shift 2
  run_logged_line() { progress_status="$what: ${1:0:120}"; }
  progress_run "$log" run_logged_line "$what" "$@"
  if [ "$progress_rc" != 0 ]; then
    printf '    failed (exit %s); the last lines of %s:\n' "$progress_rc" "$log" >&2
    tail -n 15 "$log" | sed 's/^/    | /' >&2
  fi
  return "$progress_rc"
}

# swift_build NAME ARGS...: `swift build ARGS` with progress; the output is kept in
# .build/logs/NAME.log. Returns swift build's exit status. On failure it prints the errors
# (or the log's last lines when no line says "error:") and the log's path.
swift_build() {
  local name="$1"
  shift
  local log=".build/logs/$name.log"
  progress_run "$log" swift_build_line "resolving the packages" swift build "$@"
  if [ "$progress_rc" != 0 ]; then
    printf '    the build failed (swift build exited %s):\n' "$progress_rc" >&2
    if grep -q 'error:' "$log"; then
      grep -A3 'error:' "$log" | head -n 40 | sed 's/^/    | /' >&2
    else
      tail -n 20 "$log" | sed 's/^/    | /' >&2
    fi
    printf '    the full log: %s\n    the command: swift build %s\n' "$log" "$*" >&2
  fi
  return "$progress_rc"
}

# Turns SwiftPM's lines into the status: "[412/988] Compiling NIOPosix", "fetching swift-nio".
swift_build_line() {
  local line="$1"
  case "$line" in
  \[[0-9]*/[0-9]*\]\ *)
    # "[412/988] Compiling NIOPosix Thread.swift, System.swift" -> module name only
    local count="${line%%]*}]" rest="${line#*] }"
    local verb="${rest%% *}" object="${rest#* }"
    object="${object%% *}"
    progress_status="building $count $verb $object"
    ;;
  Fetching\ * | Cloning\ * | Updating\ *) progress_status="getting the packages: ${line%% *} ${line##*/}" ;;
  "Computing version for "*) progress_status="resolving the packages: ${line##*/}" ;;
  "Creating working copy for "*) progress_status="checking out ${line##*/}" ;;
  "Building for "*) progress_status="planning the build" ;;
  esac
}
