#!/usr/bin/env python3
"""What /compact costs on a 10,000-message session; run by scripts/bench-compaction.

The session has the message mix of scripts/bench's resume step (questions, tool calls, tool
output, answers; 5.9 MB). agent resumes it in a pseudo-terminal against a fake server that
publishes no window (agent assumes 32,768 tokens), so the history, about 1.5 million tokens by
agent's estimate, is summarised in pieces and the pieces' summaries merged: the summary
requests the server sees are counted and the largest body reported. Prints one table of medians.
"""

import os
import sys
import tempfile
import time

from bench_support import (PROMPT, FakeServer, PTYChild, Sandbox, answer_tail, content_chunk, median,
                           write_session)

MARKER = b"agent compaction: summarise a conversation"
SUMMARY = "## Task and constraints\n- keep answering questions\n## Decisions\n- none\n## Files touched\n- Sources/main.swift\n## Open\n- nothing"


def answer(handler, body, index):
    text = SUMMARY if MARKER in body else "Hello there."
    data = content_chunk(text) + answer_tail()
    handler.start_sse(len(data))
    handler.wfile.write(data)


def one_run(agent, server, root, run):
    box = Sandbox(root, "run%d" % run, server.url)
    sid, path = write_session(box, 10_000)
    size = os.path.getsize(path)
    before = len(server.bodies)
    child = PTYChild([agent, "--resume", sid], box.env, box.workspace)
    try:
        if child.wait_for(PROMPT, timeout=60) is None:
            sys.exit("no prompt after resuming: %r" % child.text()[-400:])
        resumed = child.proc_status()
        sent = time.monotonic()
        child.send(b"/compact\r")
        done = child.wait_for(b"Compacted the conversation", timeout=600)
        if done is None:
            sys.exit("no compaction report: %r" % child.text()[-600:])
        child.wait_for(PROMPT, count=2, timeout=60)
        compacted = child.proc_status()
        text = child.text()
        child.send(b"\x04")
        child.wait(timeout=20)
    finally:
        child.close()
    bodies = server.bodies[before:]
    summaries = [b for b in bodies if MARKER in b]
    largest = max(len(b) for b in summaries)
    report = [l for l in text.splitlines() if "Compacted the conversation" in l][-1].strip()
    return {
        "seconds": done - sent, "resumed_hwm": resumed["VmHWM"] / 1024, "compacted_hwm": compacted["VmHWM"] / 1024,
        "compacted_rss": compacted["VmRSS"] / 1024, "requests": len(summaries), "largest_request": largest,
        "session_bytes": size, "report": report,
    }


def main():
    agent = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    server = FakeServer()
    server.set_scenario(answer)
    root = tempfile.mkdtemp(prefix="agent-bench-compaction-")
    results = []
    try:
        for run in range(runs):
            print("run %d of %d…" % (run + 1, runs), file=sys.stderr, flush=True)
            results.append(one_run(agent, server, root, run))
    finally:
        server.close()
        os.system("rm -rf '%s'" % root)
    pick = lambda key: median([r[key] for r in results])
    print("/compact on a 10,000-message session (%.1f MB), median of %d" % (results[0]["session_bytes"] / 1e6, runs))
    print("  /compact to its report:          %8.2f s" % pick("seconds"))
    print("  summary requests:                %8d   (largest body %d bytes)" % (results[0]["requests"], results[0]["largest_request"]))
    print("  peak RSS after resuming:         %8.1f MiB" % pick("resumed_hwm"))
    print("  peak RSS after /compact:         %8.1f MiB   (RSS then %.1f MiB)" % (pick("compacted_hwm"), pick("compacted_rss")))
    print("  agent said: %s" % results[0]["report"])


if __name__ == "__main__":
    main()
