"""What checkpoints cost: `agent -p --approval auto` in a workspace of 10,000 files, where the
model runs one `run_shell` that appends a line to one file (or, with `write_file` as the third
argument, writes one file: a turn that names its files, which snapshots only them). Each run is measured with
checkpoints on and off (`-c tools.checkpoints=false`); the difference is the checkpoints' cost
(two snapshots of the workspace, one before the command and one after the turn).

Usage: bench_checkpoints.py AGENT_BINARY [RUNS] [run_shell|write_file]
Prints one line per figure: name, value, unit.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_support import FakeServer, Sandbox, answer_tail, content_chunk, sse, spawn_rusage  # noqa: E402

FILES = 10_000


TOOL = {"name": "run_shell", "arguments": {"command": "echo x >> d0/f0.txt"}}


def scenario(handler, body, index):
    if index % 2 == 0:
        call = {"choices": [{"index": 0, "delta": {"tool_calls": [{
            "index": 0, "id": "c%d" % index, "type": "function",
            "function": {"name": TOOL["name"], "arguments": json.dumps(TOOL["arguments"])}}]}}]}
        data = sse(call) + sse({"choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}) + b"data: [DONE]\n\n"
    else:
        data = content_chunk("done") + answer_tail()
    handler.start_sse(len(data))
    handler.wfile.write(data)


def make_workspace(path):
    for d in range(100):
        os.makedirs(os.path.join(path, "d%d" % d), exist_ok=True)
        for f in range(100):
            with open(os.path.join(path, "d%d" % d, "f%d.txt" % f), "w") as out:
                out.write(("line %d of file %d in folder %d\n" % (0, f, d)) * 25)


def du(path):
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total


def main():
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    if len(sys.argv) > 3 and sys.argv[3] == "write_file":
        TOOL["name"] = "write_file"
        TOOL["arguments"] = {"path": "d0/f0.txt", "content": "rewritten\n"}
    print("tool %s" % TOOL["name"])
    root = tempfile.mkdtemp(prefix="bench-checkpoints-", dir=os.environ.get("BENCH_DIR"))
    server = FakeServer()
    server.set_scenario(scenario)
    try:
        box = Sandbox(root, "s", server.url)
        make_workspace(box.workspace)
        workspace_bytes = du(box.workspace)
        subprocess.run(["sync"])

        def run(*extra):
            code, _, wall = spawn_rusage([binary, "-p", "go", "--approval", "auto", "--no-save", *extra],
                                         env=box.env, cwd=box.workspace)
            if code != 0:
                raise SystemExit("agent exited %d" % code)
            return wall

        off_first = run("-c", "tools.checkpoints=false")
        cold = run()
        checkpoints = os.path.join(box.state, "agent", "checkpoints")
        cold_bytes = du(checkpoints)
        warm = [run() for _ in range(runs)]
        off = [run("-c", "tools.checkpoints=false") for _ in range(runs)]
        print("workspace_files %d files" % FILES)
        print("workspace_bytes %.1f MiB" % (workspace_bytes / 2**20))
        print("turn_without_checkpoints %.0f ms (median of %d; first %.0f ms)" % (statistics.median(off) * 1000, runs, off_first * 1000))
        print("first_turn_with_checkpoints %.0f ms (cold shadow repository)" % (cold * 1000))
        print("turn_with_checkpoints %.0f ms (median of %d)" % (statistics.median(warm) * 1000, runs))
        print("checkpoint_cost_first %.0f ms" % ((cold - statistics.median(off)) * 1000))
        print("checkpoint_cost_after %.0f ms" % ((statistics.median(warm) - statistics.median(off)) * 1000))
        print("disk_after_first %.1f MiB" % (cold_bytes / 2**20))
        print("disk_after_all %.1f MiB (%d turns)" % (du(checkpoints) / 2**20, runs + 1))
    finally:
        server.close()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
