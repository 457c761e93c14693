"""Pieces scripts/bench_driver.py measures with: a fake model server, pseudo-terminal children
with timestamped output, temporary sandboxes, and bookkeeping so that no child outlives the run.

Everything here uses one clock, time.monotonic, so a time the server records and a time the
terminal reader records can be subtracted.
"""

import fcntl
import http.server
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import termios
import threading
import time

MODEL = "bench-model"
PROMPT = (MODEL + "> ").encode()
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]|[\x01\x02]")


def median(values):
    return statistics.median(values) if values else float("nan")


# --- the fake model server ---------------------------------------------------------------------

# The chat endpoints a scenario may answer: OpenAI-compatible SSE, and Ollama's native NDJSON.
CHAT_PATHS = ("/v1/chat/completions", "/api/chat")

def sse(obj):
    return b"data: " + json.dumps(obj, separators=(",", ":")).encode() + b"\n\n"


def content_chunk(text):
    return sse({"choices": [{"index": 0, "delta": {"content": text}}]})


def answer_tail(prompt_tokens=10, completion_tokens=5):
    return (sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            + sse({"choices": [], "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens}})
            + b"data: [DONE]\n\n")


STREAM_WORDS = ["the ", "quick ", "brown ", "fox ", "jumps ", "over ", "a ", "lazy ", "dog, ", "then\n"]


def stream_parts(chunks):
    """A whole SSE answer of `chunks` content chunks, one SSE event a part, built once so the
    server only copies bytes."""
    parts = [content_chunk(STREAM_WORDS[i % len(STREAM_WORDS)]) for i in range(chunks)]
    return parts + [answer_tail(10, chunks)]


def ndjson_line(obj):
    return json.dumps(obj, separators=(",", ":")).encode() + b"\n"


def ndjson_parts(chunks):
    """The same answer as `stream_parts` in Ollama's `/api/chat` NDJSON, one line a part, shaped
    as Ollama writes it (model and time on every line, the counts on the last)."""
    head = {"model": MODEL, "created_at": "2026-12-03T12:00:00.000000Z"}
    parts = [ndjson_line(dict(head, message={"role": "assistant", "content": STREAM_WORDS[i % len(STREAM_WORDS)]},
                              done=False)) for i in range(chunks)]
    return parts + [ndjson_line(dict(head, message={"role": "assistant", "content": ""}, done=True, done_reason="stop",
                                     prompt_eval_count=10, eval_count=chunks))]


MARKDOWN_ANSWER = """# Reading a file in Python

Use **with** so the file is *closed* for you, and call `read()` once; see [the docs](https://docs.python.org/3/).

- open the file
- read its text
  - or iterate over lines, ~~not~~ all at once

```python
with open("notes.txt") as f:
    text = f.read()  # whole file
```

| Mode | Meaning |
|------|---------|
| r | read |
| w | write, truncating |

> Tip: pass `encoding="utf-8"` explicitly.

"""


def markdown_blob(chunks):
    """A long markdown answer (headings, emphasis, lists, code, tables, quotes) in `chunks`
    content chunks of about three characters, so that markers arrive split."""
    text = MARKDOWN_ANSWER * (chunks * 3 // len(MARKDOWN_ANSWER) + 1)
    pieces = [text[i:i + 3] for i in range(0, 3 * chunks, 3)]
    return b"".join(content_chunk(p) for p in pieces) + answer_tail(10, chunks)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def setup(self):
        super().setup()
        # Small SSE writes must leave at once: Nagle would hold them until the last one is acked.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, *args):
        pass

    def handle(self):
        # A measured agent is killed mid-connection on purpose (SIGTERM runs, timeouts); that is
        # not worth a traceback in the middle of the table.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def send_json(self, obj):
        body = json.dumps(obj).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/api/tags":
            self.send_json({"models": [{"name": MODEL}]})
        elif self.path == "/v1/models":
            self.send_json({"object": "list", "data": [{"id": MODEL, "object": "model"}]})
        else:
            self.send_error(404)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        if self.path not in CHAT_PATHS:
            self.send_error(404)
            return
        server = self.server
        with server.lock:
            server.bodies.append(body)
            server.chat_paths.append(self.path)
            index = server.chat_count
            server.chat_count += 1
        try:
            server.scenario(self, body, index)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # Helpers for scenarios.
    def start_sse(self, length=None, content_type="text/event-stream"):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length is None:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    def end_chunks(self):
        self.wfile.write(b"0\r\n\r\n")


class FakeServer:
    """An OpenAI/Ollama-like server on 127.0.0.1. `scenario(handler, body, index)` answers chats."""

    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.lock = threading.Lock()
        self.httpd.bodies = []
        self.httpd.chat_paths = []
        self.httpd.chat_count = 0
        self.httpd.scenario = short_answer
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.httpd.server_address[1]

    def set_scenario(self, scenario):
        self.httpd.scenario = scenario

    @property
    def chat_paths(self):
        """The path of every chat request so far, in order."""
        with self.httpd.lock:
            return list(self.httpd.chat_paths)

    @property
    def bodies(self):
        with self.httpd.lock:
            return list(self.httpd.bodies)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def short_answer(handler, body, index):
    data = content_chunk("Hello ") + content_chunk("there.") + answer_tail()
    handler.start_sse(len(data))
    handler.wfile.write(data)


def write_session(box, count):
    """A 10,000-message journal in the session format (docs/sessions.md), with the message mix
    of the fixture's bench mode: questions, tool calls, tool output, answers."""
    os.makedirs(box.sessions, mode=0o700, exist_ok=True)
    sid = "20260101-000000-b3e1c0"
    path = os.path.join(box.sessions, sid + ".jsonl")
    stamp = "2026-01-01T00:00:00.000Z"
    words = "the quick brown fox jumps over the lazy dog while the agent reads files and runs tests "

    def line(obj):
        return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"

    out = [line({"created": stamp, "cwd": box.workspace, "format": 1, "id": sid, "model": MODEL, "n": 0,
                 "title": None, "type": "session"})]
    meta = {"createdAt": stamp, "interrupted": False}
    for i in range(count):
        kind = i % 4
        if kind == 0:
            msg = {"content": "question %d: %s" % (i, words), "meta": meta, "role": "user"}
        elif kind == 1:
            msg = {"content": "", "meta": meta, "role": "assistant",
                   "tool_calls": [{"arguments": '{"path":"Sources/main.swift"}', "id": "call_%d" % i,
                                   "name": "read_file"}]}
        elif kind == 2:
            msg = {"content": words * 12, "meta": meta, "name": "read_file", "role": "tool",
                   "tool_call_id": "call_%d" % (i - 1)}
        else:
            msg = {"content": "answer %d: %s" % (i, words * 5), "meta": meta, "role": "assistant"}
        out.append(line({"message": msg, "n": i + 1, "type": "message"}))
    with open(path, "w") as f:
        f.write("".join(out))
    os.chmod(path, 0o600)
    return sid, path


# --- processes ---------------------------------------------------------------------------------

class Processes:
    """Every child this driver starts, so that none outlives it."""

    def __init__(self):
        self.pids = set()

    def add(self, pid):
        self.pids.add(pid)

    def reaped(self, pid):
        self.pids.discard(pid)

    def kill_all(self):
        for pid in list(self.pids):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except OSError:
                pass
            self.pids.discard(pid)


PROCESSES = Processes()


class Sandbox:
    """Temporary HOME / XDG folders and workspace, and the environment agent runs in."""

    def __init__(self, root, name, endpoint):
        self.dir = os.path.join(root, name)
        self.home = os.path.join(self.dir, "home")
        self.state = os.path.join(self.dir, "state")
        self.config = os.path.join(self.dir, "config")
        self.workspace = os.path.join(self.dir, "workspace")
        for d in (self.home, self.state, self.config, self.workspace):
            os.makedirs(d, exist_ok=True)
        keep = {k: v for k, v in os.environ.items()
                if k in ("PATH", "LANG", "LC_ALL", "LD_LIBRARY_PATH")}
        self.env = dict(keep, HOME=self.home, XDG_STATE_HOME=self.state, XDG_CONFIG_HOME=self.config,
                        AGENT_ENDPOINT=endpoint, AGENT_MODEL=MODEL, TERM="xterm-256color")
        self.env.setdefault("LANG", "C.UTF-8")

    @property
    def sessions(self):
        return os.path.join(self.state, "agent", "sessions")

    def reset_sessions(self):
        shutil.rmtree(self.sessions, ignore_errors=True)


class PTYChild:
    """A program on a fresh pseudo-terminal (its controlling terminal), with a reader thread that
    timestamps output with time.monotonic the moment it is read."""

    def __init__(self, argv, env, cwd, rows=40, cols=120):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.started = time.monotonic()
        pid = os.fork()
        if pid == 0:  # the child: only async-signal-safe-ish calls until exec
            try:
                os.setsid()
                fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
                os.dup2(slave, 0)
                os.dup2(slave, 1)
                os.dup2(slave, 2)
                os.close(master)
                if slave > 2:
                    os.close(slave)
                os.chdir(cwd)
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        os.close(slave)
        PROCESSES.add(pid)
        self.pid = pid
        self.master = master
        self.data = bytearray()
        self.events = []  # (time, length of data after this read)
        self.eof = False
        self.status = None
        self.rusage = None
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                chunk = b""
            now = time.monotonic()
            with self.cond:
                if not chunk:
                    self.eof = True
                    self.cond.notify_all()
                    return
                self.data += chunk
                self.events.append((now, len(self.data)))
                self.cond.notify_all()

    def time_of(self, end_offset):
        """When the byte ending at `end_offset` was read."""
        for at, length in self.events:
            if length >= end_offset:
                return at
        return None

    def wait_for(self, needle, count=1, timeout=20.0, strip=True):
        """Waits until `needle` has appeared `count` times (ANSI codes stripped); returns the time
        the read that completed it happened, or None on timeout or EOF."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                found = self._find(needle, count, strip)
                if found is not None:
                    return found
                left = deadline - time.monotonic()
                if left <= 0 or self.eof:
                    return None
                self.cond.wait(left)

    def _find(self, needle, count, strip):
        if not strip:
            start = 0
            for _ in range(count):
                at = self.data.find(needle, start)
                if at < 0:
                    return None
                start = at + len(needle)
            return self.time_of(start)
        # Walk the raw bytes, matching the needle with escape codes skipped, to know the raw
        # offset (and so the read) at which the match completed.
        text = bytes(self.data)
        seen = 0
        matched = 0
        i = 0
        while i < len(text):
            m = ANSI.match(text, i)
            if m:
                i = m.end()
                continue
            if text[i] == needle[matched]:
                matched += 1
                i += 1
                if matched == len(needle):
                    seen += 1
                    matched = 0
                    if seen == count:
                        return self.time_of(i)
            else:
                if matched:
                    matched = 0
                    continue
                i += 1
        return None

    def text(self):
        with self.cond:
            return ANSI.sub(b"", bytes(self.data)).decode("utf-8", "replace")

    def send(self, data):
        os.write(self.master, data)

    def wait(self, timeout=10.0):
        """Reaps the child; kills it after `timeout`. Returns (exit status, rusage)."""
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                pid, status, usage = os.wait4(self.pid, 0)
                break
            time.sleep(0.002)
        PROCESSES.reaped(self.pid)
        self.status = os.waitstatus_to_exitcode(status)
        self.rusage = usage
        return self.status, usage

    def wait_blocking(self):
        _, status, usage = os.wait4(self.pid, 0)
        PROCESSES.reaped(self.pid)
        self.status = os.waitstatus_to_exitcode(status)
        self.rusage = usage
        return self.status

    def close(self):
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass
            self.wait()
        self.reader.join(timeout=2)
        try:
            os.close(self.master)
        except OSError:
            pass

    def proc_status(self):
        fields = {}
        with open("/proc/%d/status" % self.pid) as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS"):
                    fields[key] = int(value.split()[0])  # kB
        return fields


def settle_page_cache(path):
    """Drops `path` from the page cache, then runs it once, so that it is cached the way an
    installed binary is after earlier runs. RSS counts the binary's mapped file pages, and a file
    just written by the linker (or cp, strip) is cached whole: the kernel's fault-around then maps
    up to 64 KiB around every page touched, which read as up to ~13 MiB more RSS here."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    subprocess.run([path, "--help"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def spawn_rusage(argv, env=None, cwd=None, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL):
    """Runs a program to the end; returns (exit code, user+sys CPU seconds, wall seconds)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdin=stdin, stdout=stdout, stderr=subprocess.DEVNULL)
    PROCESSES.add(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    PROCESSES.reaped(proc.pid)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage.ru_utime + usage.ru_stime, wall
