# The Python spawner: the same job and protocol as spawner-process.mjs, preferred when python3 is present
# because CPython starts children with vfork, which costs a fraction of the fork libuv (Node) does: on a
# small VM, about 2 ms against 7 ms per task process. Standard library only, Python 3.6+.
#
# Protocol: newline-delimited JSON. First line out: {"ready": true}. Requests on stdin:
#   {"id": 1, "file": "sh", "args": ["-c", "..."], "cwd": "...", "env": {...}, "log": "/path/output.log"}
# Replies on stdout: {"id": 1, "pid": 4242} or {"id": 1, "error": {"code", "message"}},
# then {"id": 1, "exit": {"code": 0, "signal": null}}. Stdin closing ends the spawner; the task processes it
# started live on (each leads its own session), as they would after an engine crash.
import errno
import json
import os
import signal
import subprocess
import sys
import threading

_write_lock = threading.Lock()


def reply(message):
    data = (json.dumps(message, separators=(",", ":")) + "\n").encode("utf-8")
    with _write_lock:
        try:
            os.write(1, data)
        except BrokenPipeError:
            # The engine is gone (a command that failed before it ran anything, or a crash): nobody is left
            # to tell, and a traceback on the user's terminal would only hide the engine's own message.
            os._exit(0)


def error_reply(request_id, error):
    code = errno.errorcode.get(getattr(error, "errno", None) or 0, "EIO")
    reply({"id": request_id, "error": {"code": code, "message": str(error)}})


def signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return "SIG%d" % number


def follow(request_id, child):
    status = child.wait()
    if status < 0:
        reply({"id": request_id, "exit": {"code": None, "signal": signal_name(-status)}})
    else:
        reply({"id": request_id, "exit": {"code": status, "signal": None}})


def start(request):
    request_id = request["id"]
    try:
        log = os.open(request["log"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as error:
        error_reply(request_id, error)
        return
    try:
        child = subprocess.Popen(
            [request["file"]] + request["args"],
            cwd=request["cwd"],
            env=request["env"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    except OSError as error:
        error_reply(request_id, error)
        return
    finally:
        os.close(log)
    reply({"id": request_id, "pid": child.pid})
    threading.Thread(target=follow, args=(request_id, child), daemon=True).start()


def main():
    reply({"ready": True})
    for line in sys.stdin.buffer:
        if line.strip():
            start(json.loads(line))
    os._exit(0)


main()
