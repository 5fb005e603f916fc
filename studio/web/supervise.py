"""What `manage.py up` becomes once the database is ready: it starts the web server and the
django-q2 cluster side by side and stops both together. Ctrl-C, or SIGTERM/SIGHUP from a
service manager or a closed terminal, stops all of it: web server, cluster, its workers and
their engine helpers.

`up` replaces itself with this script (os.execv, same process id) rather than supervising from
inside Django: a process that has loaded Django and Studio's apps holds about 55 MB for as
long as Studio runs, and this one, which imports only the standard library, about 8 MB
(bench/idle.py). So it must never import Django or Studio; it is run by its path, with one
argument, a JSON object {"children": [[name, argv], ...], "banner": text}; the children get
its environment.

Each child starts a process group of its own, which everything it forks stays in (django-q2's
sentinel and workers, the local engine's helper processes), even once re-parented to PID 1.
Stopping asks each child to stop, waits a little, then kills whatever is left of each group.
A job cut short that way is retried later (generation.reaper), like one of a killed worker.
"""
import json
import os
import signal
import subprocess
import sys
import time

# Seconds the web server and the cluster get to stop by themselves. A running job could need
# minutes to finish; a service manager will not wait that long, and the job is retried anyway.
STOP_GRACE = 10


class Stop(Exception):
    """A stop signal arrived."""


def _on_stop_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def _dies_with_parent():
    """What a child runs before its command so that it gets SIGTERM should this process itself
    be killed (Linux's PR_SET_PDEATHSIG); None elsewhere. Looked up here, not in the child."""
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    return lambda: prctl(1, signal.SIGTERM)


def run(children: list[tuple[str, list[str]]], banner: str) -> None:
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _on_stop_signal)
    started = {}
    try:
        for name, command in children:
            started[name] = subprocess.Popen(
                command, start_new_session=True, preexec_fn=_dies_with_parent())
        print(banner, flush=True)
        while not (ended := [n for n, c in started.items() if c.poll() is not None]):
            time.sleep(0.5)
        print(f"The {ended[0]} stopped (exit {started[ended[0]].returncode}); stopping Studio.",
              file=sys.stderr, flush=True)
    except (KeyboardInterrupt, Stop):
        pass
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
        _stop(list(started.values()))


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)  # qcluster and the web servers all stop on it
    deadline = time.monotonic() + STOP_GRACE
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            pass
    for child in children:  # the child, if still there, and anything it left in its group
        try:
            os.killpg(child.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        child.wait()


if __name__ == "__main__":
    plan = json.loads(sys.argv[1])
    run([(name, argv) for name, argv in plan["children"]], plan["banner"])
