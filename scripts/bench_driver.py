#!/usr/bin/env python3
"""The measurements behind scripts/bench: start-up, memory, streaming, sessions, prompt size.

Run by scripts/bench after it has built agent; not meant to be run by hand (see that script).
Everything agent talks to is a fake model server on 127.0.0.1 that lives in this process, so
the server's clock and the terminal reader's clock are the same (time.monotonic). Every agent
runs with a temporary HOME, XDG_STATE_HOME and XDG_CONFIG_HOME, in a temporary workspace.

Prints one table; exits 0 whatever was missed (a missed budget says MISS).
"""

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from bench_support import (MODEL, PROCESSES, PROMPT, FakeServer, PTYChild, Sandbox, answer_tail, content_chunk,
                           markdown_blob, median, ndjson_parts, settle_page_cache, short_answer, spawn_rusage,
                           stream_parts, write_session)


def log(text):
    print(text, file=sys.stderr, flush=True)


# --- the measurements --------------------------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.agent = os.path.abspath(args.agent)
        self.tmp = tempfile.mkdtemp(prefix="agent-bench-")
        self.server = FakeServer()
        self.rows = []
        self.notes = []

    def sandbox(self, name):
        return Sandbox(self.tmp, name, self.server.url)

    def row(self, section, what, value, budget=None, ok=None, unit=""):
        self.rows.append((section, what, value, unit, budget, ok))

    # start-up ----------------------------------------------------------------------------------

    def version_startup(self):
        log("start-up: hyperfine agent --version")
        out = os.path.join(self.tmp, "hyperfine.json")
        subprocess.run(["hyperfine", "-N", "--warmup", "10", "--runs", str(self.args.version_runs), "--style", "none",
                        "--export-json", out, self.agent + " --version"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        with open(out) as f:
            result = json.load(f)["results"][0]
        ms = result["median"] * 1000
        self.row("start-up", "agent --version (hyperfine, median of %d)" % self.args.version_runs,
                 "%.2f ms" % ms, "<= 5 ms", ms <= 5)
        # A median far above the minimum means other work shared the CPUs during the runs.
        self.row("start-up", "  fastest run / standard deviation",
                 "%.2f / %.2f ms" % (result["min"] * 1000, result["stddev"] * 1000))

    def prompt_startup(self):
        """Launch to the REPL prompt through a PTY, preflight included; peak RSS at the idle prompt."""
        log("start-up: launch to the REPL prompt through a PTY")
        box = self.sandbox("prompt")
        times, hwm, rss = [], [], []
        floor = []
        for i in range(self.args.prompt_runs):
            child = PTYChild([self.agent], box.env, box.workspace)
            at = child.wait_for(PROMPT, timeout=20)
            if at is None:
                self.notes.append("launch to prompt: no prompt within 20 s; output: %r" % child.text()[-300:])
                child.close()
                break
            times.append((at - child.started) * 1000)
            fields = child.proc_status()
            hwm.append(fields["VmHWM"] / 1024)
            rss.append(fields["VmRSS"] / 1024)
            child.send(b"\x04")  # Ctrl-D at an empty prompt exits
            child.wait(timeout=5)
            child.close()
            # The floor of this measurement: a program that only prints the prompt.
            echo = PTYChild(["/usr/bin/printf", MODEL + "> "], box.env, box.workspace)
            at = echo.wait_for(PROMPT, timeout=5)
            if at is not None:
                floor.append((at - echo.started) * 1000)
            echo.wait(timeout=5)
            echo.close()
        if times:
            ms = median(times)
            self.row("start-up", "launch to REPL prompt via PTY, preflight incl. (median of %d)" % len(times),
                     "%.2f ms" % ms, "<= 30 ms", ms <= 30)
            self.row("start-up", "  floor: printf of the prompt through the same PTY harness",
                     "%.2f ms" % median(floor))
            h = median(hwm)
            self.row("memory", "peak RSS (VmHWM) at the idle REPL prompt (median of %d)" % len(hwm),
                     "%.1f MiB" % h, "<= 20 MiB", h <= 20)
            self.row("memory", "  VmRSS at the idle REPL prompt", "%.1f MiB" % median(rss))

    def version_rss(self):
        log("memory: /usr/bin/time -f %M agent --version")
        values = []
        for _ in range(self.args.rss_runs):
            proc = subprocess.run(["/usr/bin/time", "-f", "%M", self.agent, "--version"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=True)
            values.append(int(proc.stderr.strip().splitlines()[-1]) / 1024)
        mib = median(values)
        self.row("memory", "peak RSS of agent --version (/usr/bin/time, median of %d)" % len(values),
                 "%.1f MiB" % mib, "<= 15 MiB", mib <= 15)

    # build variants, side by side ---------------------------------------------------------------

    def compare_builds(self):
        """Start-up and memory of several builds of agent, measured in the same run: hyperfine
        times all of them in one invocation; the PTY and RSS runs go round-robin over them."""
        variants = [v.split("=", 1) for v in self.args.compare.split(",") if "=" in v]
        if not variants:
            return
        for _, path in variants:
            settle_page_cache(path)
        log("comparing builds: " + ", ".join(name for name, _ in variants))
        timing = {}
        for flag in ("--version", "--help"):
            out = os.path.join(self.tmp, "compare.json")
            subprocess.run(["hyperfine", "-N", "--warmup", "10", "--runs", "60", "--style", "none",
                            "--export-json", out] + ["%s %s" % (path, flag) for _, path in variants],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            with open(out) as f:
                for (name, _), result in zip(variants, json.load(f)["results"]):
                    timing[(name, flag)] = result["median"] * 1000
        rss = {name: [] for name, _ in variants}
        prompt = {name: [] for name, _ in variants}
        hwm = {name: [] for name, _ in variants}
        box = self.sandbox("compare")
        for _ in range(self.args.compare_runs):
            for name, path in variants:
                proc = subprocess.run(["/usr/bin/time", "-f", "%M", path, "--version"], stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, text=True, check=True)
                rss[name].append(int(proc.stderr.strip().splitlines()[-1]) / 1024)
                child = PTYChild([path], box.env, box.workspace)
                at = child.wait_for(PROMPT, timeout=20)
                if at is not None:
                    prompt[name].append((at - child.started) * 1000)
                    hwm[name].append(child.proc_status()["VmHWM"] / 1024)
                    child.send(b"\x04")
                child.wait(timeout=5)
                child.close()
        rows = []
        for name, path in variants:
            rows.append((name, "%.0f" % (os.path.getsize(path) / 1e6), "%.2f" % timing[(name, "--version")],
                         "%.2f" % timing[(name, "--help")], "%.1f" % median(rss[name]), "%.2f" % median(prompt[name]),
                         "%.1f" % median(hwm[name])))
        self.comparison = rows

    def print_comparison(self):
        rows = getattr(self, "comparison", None)
        if not rows:
            return
        head = ("build", "MB", "--version ms", "--help ms", "--version MiB", "to prompt ms", "idle VmHWM MiB")
        widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
        print()
        print("builds side by side (hyperfine medians of 60; RSS and PTY medians of %d, round-robin)"
              % self.args.compare_runs)
        for r in [head] + rows:
            print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths))))

    # memory after a 10,000-message session ------------------------------------------------------

    def resumed_session_rss(self):
        log("memory: resume a 10,000-message session, send one prompt")
        box = self.sandbox("resume")
        hwm, rss, times = [], [], []
        self.server.set_scenario(short_answer)
        for _ in range(self.args.resume_runs):
            box.reset_sessions()
            sid, path = write_session(box, 10_000)
            child = PTYChild([self.agent, "--resume", sid], box.env, box.workspace)
            if child.wait_for(PROMPT, timeout=30) is None:
                self.notes.append("resume: no prompt; output: %r" % child.text()[-300:])
                child.close()
                break
            if "10000 messages" not in child.text():
                self.notes.append("resume: the banner does not say 10000 messages: %r" % child.text()[-300:])
            sent = time.monotonic()
            child.send(b"hello\r")
            done = child.wait_for(PROMPT, count=2, timeout=30)
            if done is None:
                self.notes.append("resume: no prompt after the turn; output: %r" % child.text()[-300:])
                child.close()
                break
            times.append((done - sent) * 1000)
            fields = child.proc_status()
            hwm.append(fields["VmHWM"] / 1024)
            rss.append(fields["VmRSS"] / 1024)
            child.send(b"\x04")
            child.wait(timeout=10)
            child.close()
        if hwm:
            self.row("memory", "peak RSS after resuming 10,000 messages + one turn (median of %d)" % len(hwm),
                     "%.1f MiB" % median(hwm), "report")
            self.row("memory", "  VmRSS then", "%.1f MiB" % median(rss))
            self.row("memory", "  that turn: enter to the next prompt", "%.1f ms" % median(times))

    # streaming ----------------------------------------------------------------------------------

    # The ways a server writes the same 100,000-chunk answer, each measured against curl on the
    # same bytes in the same run: (name, chat path, the answer's parts for a number of chunks,
    # content type, whole writes?, agent flags). Ollama's native NDJSON is selected by a config
    # file with `api = "ollama"` (the fake server does not answer `/api/version`, so auto would
    # pick the OpenAI wire).
    def stream_patterns(self, box):
        ollama_config = os.path.join(box.dir, "ollama.toml")
        with open(ollama_config, "w") as f:
            f.write('api = "ollama"\n')
        ollama = ["--config", ollama_config]
        sse, ndjson = "text/event-stream", "application/x-ndjson"
        return [
            ("large writes", "/v1/chat/completions", stream_parts, sse, True, []),
            ("one SSE event per write", "/v1/chat/completions", stream_parts, sse, False, []),
            ("Ollama NDJSON, large writes", "/api/chat", ndjson_parts, ndjson, True, ollama),
            ("Ollama NDJSON, one line per write", "/api/chat", ndjson_parts, ndjson, False, ollama),
        ]

    # Each pattern is measured twice: on the 100,000-chunk answer (the whole run, start-up
    # included, as a user pays it) and on a 1-chunk answer written the same way (start-up,
    # preflight, the request and the session's files: the fixed cost). Their difference is what
    # streaming itself costs, reported against the same difference for curl.
    def stream_overhead(self):
        log("streaming: CPU of agent -p vs curl on a 100,000-chunk answer and a 1-chunk one, per write pattern")
        box = self.sandbox("stream")
        body_file = os.path.join(self.tmp, "curl-body.json")
        with open(body_file, "w") as f:
            json.dump({"model": MODEL, "stream": True, "messages": [{"role": "user", "content": "go"}]}, f)
        verdicts = []
        for name, path, make_parts, content_type, whole, flags in self.stream_patterns(box):
            full = self.stream_cpu(box, body_file, name, path, make_parts(100_000), content_type, whole, flags)
            one = self.stream_cpu(box, body_file, name, path, make_parts(1), content_type, whole, flags)
            verdicts.append(self.stream_rows(name, full, one))
        self.notes.append("stream CPU against 2x curl: " + "; ".join(
            "%s: whole run %s, net streaming %s" % (name, "PASS" if w else "MISS", "PASS" if n else "MISS")
            for name, w, n in verdicts))

    def stream_rows(self, name, full, one):
        (a, c, size, runs, walls), (a1, c1, _, _, _) = full, one
        whole_ok = a <= 2 * c
        self.row("streaming", "agent -p, 100,000 chunks (%.1f MB), %s: CPU user+sys (median of %d)"
                 % (size / 1e6, name, runs), "%.3f s" % a, "<= 2x curl = %.3f s" % (2 * c), whole_ok)
        self.row("streaming", "  curl on the same bytes (the floor)", "%.3f s" % c)
        self.row("streaming", "  ratio agent / curl, whole run", "%.1fx" % (a / c if c else float("inf")))
        self.row("streaming", "  a 1-chunk answer the same way: agent / curl (fixed cost)", "%.3f / %.3f s" % (a1, c1))
        net_a, net_c = a - a1, c - c1
        net_ok = net_a <= 2 * max(net_c, 0.0)
        self.row("streaming", "  net streaming (100,000 chunks - 1 chunk): agent / curl",
                 "%.3f / %.3f s = %.1fx" % (net_a, net_c, net_a / net_c if net_c > 0 else float("inf")),
                 "<= 2x curl", net_ok)
        self.row("streaming", "  wall time: agent / curl", "%.2f s / %.2f s" % walls)
        return name, whole_ok, net_ok

    def stream_cpu(self, box, body_file, name, path, parts, content_type, whole, flags):
        """Medians of agent's and curl's CPU on `parts`, run alternately."""
        blob = b"".join(parts)

        def answer(handler, body, index):
            handler.start_sse(len(blob), content_type)
            if whole:
                handler.wfile.write(blob)
            else:
                for part in parts:
                    handler.wfile.write(part)

        self.server.set_scenario(answer)
        curl = ["curl", "-s", "--noproxy", "*", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json",
                "--data-binary", "@" + body_file, self.server.url + path]
        agent_cpu, agent_wall, curl_cpu, curl_wall = [], [], [], []
        failures = 0
        asked = len(self.server.chat_paths)
        for _ in range(self.args.stream_runs):
            box.reset_sessions()
            code, cpu, wall = spawn_rusage([self.agent, *flags, "-p", "go"], env=box.env, cwd=box.workspace)
            if code != 0:
                failures += 1
            agent_cpu.append(cpu)
            agent_wall.append(wall)
            code, cpu, wall = spawn_rusage(curl)
            curl_cpu.append(cpu)
            curl_wall.append(wall)
        label = "%s, %d chunks" % (name, len(parts) - 1)
        if failures:
            self.notes.append("stream (%s): agent -p exited non-zero in %d of %d runs" % (label, failures, len(agent_cpu)))
        # Agent asks Ollama for the model's facts (/api/show) besides the chat; only chats count.
        wrong = [p for p in self.server.chat_paths[asked:] if p != path]
        if wrong:
            self.notes.append("stream (%s): agent asked %s, not %s" % (label, wrong[0], path))
        return (median(agent_cpu), median(curl_cpu), len(blob), len(agent_cpu),
                (median(agent_wall), median(curl_wall)))

    def first_byte_latency(self):
        log("streaming: server's first content byte to the terminal")
        box = self.sandbox("latency")
        sent = {}
        seen_events = {}

        def marked_answer(handler, body, index):
            marker = ("Zq%dxW" % index).encode()
            seen = threading.Event()
            seen_events[marker] = seen
            handler.start_sse()
            time.sleep(0.02)  # let the client settle into reading the body
            data = content_chunk(marker.decode() + " ")
            sent[marker] = time.monotonic()
            handler.chunk(data)
            seen.wait(2)
            handler.chunk(content_chunk("done.") + answer_tail())
            handler.end_chunks()

        self.server.set_scenario(marked_answer)
        agent_ms, curl_ms = [], []
        child = PTYChild([self.agent], box.env, box.workspace)
        if child.wait_for(PROMPT, timeout=20) is None:
            self.notes.append("latency: no prompt; output: %r" % child.text()[-300:])
            child.close()
            return
        base = self.server.httpd.chat_count
        for turn in range(self.args.latency_runs):
            # agent: one turn per sample in one REPL.
            index = base + 2 * turn
            marker = ("Zq%dxW" % index).encode()
            child.send(b"say something\r")
            at = child.wait_for(marker, timeout=10, strip=False)
            if marker in seen_events:
                seen_events[marker].set()
            if at is None or marker not in sent:
                self.notes.append("latency: marker %s not seen" % marker)
                break
            agent_ms.append((at - sent[marker]) * 1000)
            child.wait_for(PROMPT, count=turn + 2, timeout=10)
            # curl printing the raw stream to the same kind of PTY: the harness's own floor.
            marker = ("Zq%dxW" % (index + 1)).encode()
            floor = PTYChild(["/usr/bin/curl", "-sN", "--noproxy", "*", "-X", "POST", "-H",
                              "Content-Type: application/json", "-d", "{}",
                              self.server.url + "/v1/chat/completions"], box.env, box.workspace)
            at = floor.wait_for(marker, timeout=10, strip=False)
            if marker in seen_events:
                seen_events[marker].set()
            if at is not None and marker in sent:
                curl_ms.append((at - sent[marker]) * 1000)
            floor.wait(timeout=5)
            floor.close()
        child.send(b"\x04")
        child.wait(timeout=5)
        child.close()
        if agent_ms:
            a = median(agent_ms)
            self.row("streaming", "first content byte sent -> on the terminal, agent REPL (median of %d)"
                     % len(agent_ms), "%.3f ms" % a, "<= 1 ms", a <= 1)
            self.row("streaming", "  curl -N through the same PTY harness (the floor)", "%.3f ms" % median(curl_ms))
        # The chat request agent sent: the exact system prompt and tool schemas.
        bodies = [b for b in self.server.bodies if b"Zq" not in b and b'"say something"' in b]
        self.request_body = bodies[0] if bodies else None

    # rendering --------------------------------------------------------------------------------

    def render_cost(self):
        log("rendering: CPU of agent -p on a terminal, rendered vs NO_COLOR, two long answers")
        box = self.sandbox("render")
        answers = [("100,000-chunk answer", b"".join(stream_parts(100_000)), 1.5), ("markdown answer, 100,000 chunks",
                                                                         markdown_blob(100_000), None)]
        for name, blob, budget in answers:
            def blob_answer(handler, body, index, blob=blob):
                handler.start_sse(len(blob))
                handler.wfile.write(blob)

            self.server.set_scenario(blob_answer)
            rendered, plain = [], []
            for _ in range(self.args.stream_runs):
                rendered.append(self.pty_cpu(box, {}))
                plain.append(self.pty_cpu(box, {"NO_COLOR": "1"}))
            r, p = median(rendered), median(plain)
            ratio = r / p if p else float("inf")
            self.row("rendering", "%s (%.1f MB) on a terminal: CPU rendered (median of %d)" % (name, len(blob) / 1e6,
                                                                                               len(rendered)),
                     "%.3f s" % r, budget and "<= %.1fx unrendered = %.3f s" % (budget, budget * p),
                     budget and r <= budget * p)
            self.row("rendering", "  unrendered (NO_COLOR), same terminal", "%.3f s" % p)
            self.row("rendering", "  ratio rendered / unrendered", "%.2fx" % ratio)

    def pty_cpu(self, box, extra):
        """user+sys CPU of one `agent -p` whose output goes to a terminal that is read at once."""
        box.reset_sessions()
        child = PTYChild([self.agent, "-p", "go"], dict(box.env, **extra), box.workspace, rows=50, cols=100)
        status, usage = child.wait(timeout=60)
        child.close()
        if status != 0:
            self.notes.append("render: agent -p exited %s; output: %r" % (status, child.text()[-200:]))
        return usage.ru_utime + usage.ru_stime

    def render_latency(self):
        log("rendering: a line's newline sent -> its rendered text on the terminal")
        box = self.sandbox("render-latency")
        sent, shown, seen = {}, {}, {}

        def newline_answer(handler, body, index):
            marker = "Nl%dxQ" % index
            shown[marker], seen[marker] = threading.Event(), threading.Event()
            handler.start_sse()
            time.sleep(0.02)  # let the client settle into reading the body
            handler.chunk(content_chunk("**%s** is bold" % marker))
            shown[marker].wait(2)
            sent[marker] = time.monotonic()
            handler.chunk(content_chunk("\n"))
            seen[marker].wait(2)
            handler.chunk(content_chunk("done.") + answer_tail())
            handler.end_chunks()

        self.server.set_scenario(newline_answer)
        child = PTYChild([self.agent], box.env, box.workspace)
        if child.wait_for(PROMPT, timeout=20) is None:
            self.notes.append("render latency: no prompt; output: %r" % child.text()[-300:])
            child.close()
            return
        base = self.server.httpd.chat_count
        times = []
        for turn in range(self.args.latency_runs):
            marker = "Nl%dxQ" % (base + turn)
            child.send(b"say something\r")
            if child.wait_for(("**%s** is bold" % marker).encode(), timeout=10, strip=False) is None:
                self.notes.append("render latency: the line in progress %s was not shown" % marker)
                break
            shown[marker].set()
            at = child.wait_for(("\x1b[1m%s\x1b[0m" % marker).encode(), timeout=10, strip=False)
            seen[marker].set()
            if at is None:
                self.notes.append("render latency: %s was not rendered" % marker)
                break
            times.append((at - sent[marker]) * 1000)
            child.wait_for(PROMPT, count=turn + 2, timeout=10)
        child.send(b"\x04")
        child.wait(timeout=5)
        child.close()
        if times:
            t = median(times)
            self.row("rendering", "newline sent -> the line rendered on the terminal, REPL (median of %d)" % len(times),
                     "%.3f ms" % t, "<= 1 ms", t <= 1)

    # sessions -----------------------------------------------------------------------------------

    def session_costs(self):
        log("sessions: the fixture's bench mode (append at 10 / 1,000 / 10,000, resume 10,000)")
        if not self.args.fixture:
            self.notes.append("session costs: skipped (no --fixture)")
            return
        bench_dir = tempfile.mkdtemp(prefix="bench-sessions.", dir=self.args.session_dir)
        try:
            out = subprocess.run([self.args.fixture, "bench", bench_dir], check=True, capture_output=True,
                                 text=True).stdout
        finally:
            shutil.rmtree(bench_dir, ignore_errors=True)
        append, resume = {}, None
        for line in out.splitlines():
            parts = line.split()
            if parts[:1] == ["append_median_us"]:
                append[int(parts[1])] = float(parts[2])
            elif parts[:1] == ["resume_median_ms"]:
                resume = float(parts[2])
        ratio = append[10_000] / append[10]
        self.row("sessions", "save one message at 10 / 1,000 / 10,000 messages (median of 300, fsync)",
                 "%.0f / %.0f / %.0f us" % (append[10], append[1000], append[10_000]))
        self.row("sessions", "  ratio 10,000 / 10", "%.2f" % ratio, "<= 2", ratio <= 2)
        self.row("sessions", "resume a 10,000-message session (median of 15)", "%.1f ms" % resume, "<= 150 ms",
                 resume <= 150)

    def sigterm_exit(self):
        log("sessions: SIGTERM mid-stream to exit, partial answer saved")
        box = self.sandbox("sigterm")

        def slow_answer(handler, body, index):
            handler.start_sse()
            for i in range(3000):  # 30 s at most
                handler.chunk(content_chunk("part%03d " % i))
                time.sleep(0.01)
            handler.chunk(answer_tail())
            handler.end_chunks()

        self.server.set_scenario(slow_answer)
        times, saved_ok, codes = [], 0, []
        for _ in range(self.args.sigterm_runs):
            box.reset_sessions()
            child = PTYChild([self.agent], box.env, box.workspace)
            if child.wait_for(PROMPT, timeout=20) is None:
                self.notes.append("sigterm: no prompt; output: %r" % child.text()[-300:])
                child.close()
                break
            child.send(b"tell me a long story\r")
            if child.wait_for(b"part030 ", timeout=10, strip=False) is None:
                self.notes.append("sigterm: the stream did not show; output: %r" % child.text()[-300:])
                child.close()
                break
            shown = re.findall(r"part(\d{3}) ", child.text())
            last_shown = "part%s " % shown[-1]
            start = time.monotonic()
            os.kill(child.pid, signal.SIGTERM)
            code = child.wait_blocking()
            times.append((time.monotonic() - start) * 1000)
            codes.append(code)
            child.close()
            partial = self.saved_partial(box)
            if partial is not None and last_shown in partial and partial.startswith("part000 "):
                saved_ok += 1
            else:
                self.notes.append("sigterm: saved partial text lacks %r: %r" % (last_shown, (partial or "")[-80:]))
        if times:
            ms = median(times)
            self.row("sessions", "SIGTERM mid-stream -> exited, partial saved (median of %d)" % len(times),
                     "%.1f ms" % ms, "<= 200 ms", ms <= 200)
            self.row("sessions", "  runs whose session held all the text shown", "%d of %d" % (saved_ok, len(times)),
                     "all", saved_ok == len(times))
            if any(c != 128 + signal.SIGTERM for c in codes):
                self.notes.append("sigterm: exit codes %s (expected 143)" % codes)

    @staticmethod
    def saved_partial(box):
        """The text of the answer that was streaming when agent stopped, rebuilt from the journal."""
        try:
            files = [f for f in os.listdir(box.sessions) if f.endswith(".jsonl")]
        except FileNotFoundError:
            return None
        if len(files) != 1:
            return None
        text = ""
        with open(os.path.join(box.sessions, files[0])) as f:
            for line in f:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue
                kind = event.get("type")
                if kind == "message":
                    msg = event["message"]
                    text = msg.get("content", "") if msg.get("meta", {}).get("interrupted") else ""
                elif kind == "partial" and event.get("text"):
                    delta = event["text"]
                    text = text[:delta["from"]] + delta["text"]
                elif kind == "partial_end":
                    text = ""
        return text

    # prompt economy -----------------------------------------------------------------------------

    def prompt_economy(self):
        log("prompt economy: system prompt + tool schemas")
        body = getattr(self, "request_body", None)
        if body is None:
            self.notes.append("prompt economy: no chat request was recorded")
            return
        request = json.loads(body)
        system = next((m["content"] for m in request["messages"] if m["role"] == "system"), "")
        # Sorted keys: agent's key order changes from process to process (Swift dictionaries are
        # seeded per process), which would make the count wobble by a token or two. Servers
        # re-serialize the tools through their chat template, so the order does not reach the model.
        tools = json.dumps(request.get("tools", []), separators=(",", ":"), sort_keys=True, ensure_ascii=False)
        counts, how = None, "estimated as bytes / 4 (no local model server running)"
        if self.args.tokenizer_url:
            try:
                counts = [self.tokenize(system), self.tokenize(tools)]
                how = "counted by the SmolLM2 tokenizer (llama.cpp /tokenize)"
            except OSError as error:
                how = "estimated as bytes / 4 (the tokenizer at %s failed: %s)" % (self.args.tokenizer_url, error)
        if counts is None:
            counts = [round(len(system.encode()) / 4), round(len(tools.encode()) / 4)]
        total = sum(counts)
        self.row("prompt", "system prompt + %d tool schemas, tokens" % len(request.get("tools", [])),
                 "%d" % total, "<= 1,000", total <= 1000)
        self.row("prompt", "  system prompt / tool schemas", "%d / %d tokens (%d / %d bytes)"
                 % (counts[0], counts[1], len(system.encode()), len(tools.encode())))
        self.notes.append("prompt tokens " + how + "; the tool schemas are the request's compact JSON "
                          "(a chat template renders them a little differently)")

    def tokenize(self, text):
        request = urllib.request.Request(self.args.tokenizer_url.rstrip("/") + "/tokenize",
                                         data=json.dumps({"content": text}).encode(),
                                         headers={"Content-Type": "application/json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=30) as response:
            return len(json.load(response)["tokens"])

    # prompt cache on the real model ------------------------------------------------------------

    def prompt_cache(self):
        """Ten turns on the real model after its window filled: the prompt tokens llama.cpp really
        processed each turn (its `timings`: the prompt less what its KV cache served), as agent
        reports them in stream-json. Trimming in steps keeps the sent prefix stable, so most turns
        re-read only what is new."""
        url = self.args.window_url
        if not url:
            self.notes.append("prompt cache: no 4,096-token local model (scripts/local-model start --ctx 4096); skipped")
            return
        log("prompt cache: turns on the real model (%s) until its window fills, then ten more" % url)
        box = Sandbox(self.tmp, "cache", url)
        env = dict(box.env, AGENT_MODEL="smollm2")
        sentence = "A quiet harbour town keeps its boats painted in bright colours every spring. "
        turns, filled_at = [], None
        for n in range(1, 41):
            text = "Note %d. %s Reply with one short sentence." % (n, sentence * 18)
            argv = [self.agent, "-p", "--max-tokens", "30", "--temperature", "0", "--output-format", "stream-json"]
            if n > 1:
                argv.append("--continue")
            proc = subprocess.run(argv, input=text, capture_output=True, text=True, env=env, cwd=box.workspace,
                                  timeout=300)
            events = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
            usage = next((e for e in events if e.get("type") == "usage"), None)
            if proc.returncode != 0 or usage is None:
                self.notes.append("prompt cache: turn %d failed (exit %d): %s" % (n, proc.returncode, proc.stderr.strip()[-300:]))
                return
            if filled_at is None and any(e.get("type") == "truncated" for e in events):
                filled_at = n
            if filled_at is not None:
                prompt, cached = usage["prompt_tokens"], usage.get("cached_prompt_tokens")
                if cached is None:
                    self.notes.append("prompt cache: the server reports no cached tokens (timings.cache_n)")
                    return
                turns.append((n, prompt, prompt - cached, cached / prompt if prompt else 0))
                if len(turns) == 10:
                    break
        if len(turns) < 10:
            self.notes.append("prompt cache: the window never filled in 40 turns")
            return
        processed = [t[2] for t in turns]
        shares = [t[3] for t in turns]
        share = median(shares)
        self.row("prompt", "tokens processed per turn after the window filled (median of 10)",
                 "%d of %d" % (median(processed), median([t[1] for t in turns])))
        self.row("prompt", "  share of the prompt re-read from the cache (median)", "%.0f%%" % (share * 100),
                 ">= 50%", share >= 0.5)
        self.notes.append("prompt cache, turns %d-%d (window filled at turn %d): processed/prompt tokens %s"
                          % (turns[0][0], turns[-1][0], filled_at,
                             ", ".join("%d/%d" % (t[2], t[1]) for t in turns)))

    # ------------------------------------------------------------------------------------------

    def run(self):
        settle_page_cache(self.agent)
        load_before = self.load_average()
        steps = [self.compare_builds, self.version_startup, self.prompt_startup, self.version_rss, self.resumed_session_rss,
                 self.stream_overhead, self.first_byte_latency, self.render_cost, self.render_latency,
                 self.session_costs, self.sigterm_exit,
                 self.prompt_economy, self.prompt_cache]
        only = set(self.args.only.split(",")) if self.args.only else None
        for step in steps:
            if only and step.__name__ not in only:
                continue
            try:
                step()
            except Exception as error:  # one broken measurement must not hide the others
                self.notes.append("%s failed: %s: %s" % (step.__name__, type(error).__name__, error))
            finally:
                PROCESSES.kill_all()
        # Times are wall-clock medians on a 2-core machine: other work running meanwhile shows here.
        self.notes.append("load average (1 min) %s at the start, %s at the end; the machine has %d CPUs"
                          % (load_before, self.load_average(), os.cpu_count() or 0))

    @staticmethod
    def load_average():
        with open("/proc/loadavg") as f:
            return f.read().split()[0]

    def print_table(self):
        self.print_comparison()
        width = max(len(r[1]) for r in self.rows) if self.rows else 40
        vwidth = max(len(r[2]) for r in self.rows) if self.rows else 10
        bwidth = max(len(r[4] or "") for r in self.rows) if self.rows else 10
        section = None
        print()
        print("%-10s %-*s  %*s  %-*s  %s" % ("area", width, "measure", vwidth, "value", bwidth, "budget", "result"))
        print("-" * (10 + width + vwidth + bwidth + 16))
        for sec, what, value, unit, budget, ok in self.rows:
            label = sec if sec != section else ""
            section = sec
            verdict = "" if ok is None else ("PASS" if ok else "MISS")
            print("%-10s %-*s  %*s  %-*s  %s" % (label, width, what, vwidth, value, bwidth, budget or "", verdict))
        missed = sum(1 for r in self.rows if r[5] is False)
        passed = sum(1 for r in self.rows if r[5] is True)
        print()
        print("budgets: %d PASS, %d MISS" % (passed, missed))
        for note in self.notes:
            print("note: " + note)

    def close(self):
        PROCESSES.kill_all()
        self.server.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--agent", required=True)
    parser.add_argument("--fixture", default="", help="session-writer-fixture, for the session costs")
    parser.add_argument("--session-dir", default=tempfile.gettempdir(), help="where the fixture writes (a real disk)")
    parser.add_argument("--tokenizer-url", default="")
    parser.add_argument("--window-url", default="", help="the local model with a 4,096-token window")
    parser.add_argument("--only", default="", help="comma-separated step names, for debugging")
    parser.add_argument("--compare", default="", help="NAME=PATH,... builds to compare side by side")
    parser.add_argument("--compare-runs", type=int, default=10)
    parser.add_argument("--version-runs", type=int, default=100)
    parser.add_argument("--prompt-runs", type=int, default=20)
    parser.add_argument("--rss-runs", type=int, default=10)
    parser.add_argument("--resume-runs", type=int, default=5)
    parser.add_argument("--stream-runs", type=int, default=5)
    parser.add_argument("--latency-runs", type=int, default=30)
    parser.add_argument("--sigterm-runs", type=int, default=7)
    args = parser.parse_args()

    bench = Bench(args)

    def stop(sig, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        bench.run()
    except KeyboardInterrupt:
        bench.notes.append("interrupted")
    finally:
        bench.close()
    bench.print_table()


if __name__ == "__main__":
    main()
