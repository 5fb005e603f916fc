"""A production topology on 127.0.0.1, as a team would run Studio on several machines:

    PostgreSQL (127.0.0.1:5432, a fresh database per run)   Redis (127.0.0.1:6379, a queue per run)
             |                                                |
     +-------+--------+-----------------+---------------------+-----+
     |                |                 |                           |
   web-0            web-1           cluster-0                   cluster-1
   gunicorn         gunicorn        manage.py qcluster          manage.py qcluster
   :port0           :port1          (STUDIO_WORKERS each)       (STUDIO_WORKERS each)

Each process is a "host" with a data directory of its own (STUDIO_DATA_DIR: static files,
nothing shared); media is one directory they all share (STUDIO_MEDIA_ROOT) unless the caller
passes `storage_env` (a bucket: tests/s3.py's `host_env`), which every process gets: then
each keeps its own media directory in its data directory, and they share nothing but the
database, Redis and the bucket (tests/topology does that).
The web processes are what `manage.py up --production` starts (gunicorn with
studio.web.server, STUDIO_PRODUCTION=1, after Django's deployment checks, migrate and
collectstatic), started one by one so each can be killed alone.

Used by tests/topology (every creation mode, a worker and a web process killed), by the
browser tests with STUDIO_BROWSER_TARGET=production, and by bench/load.py.
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("STUDIO_TOPOLOGY_POSTGRES", "postgres://postgres@127.0.0.1:5432")
REDIS = os.environ.get("STUDIO_TOPOLOGY_REDIS", "redis://127.0.0.1:6379/0")
# Variables of the caller's environment that would point a host at something else.
_NOT_INHERITED = ("DATABASE_URL", "REDIS_URL", "STUDIO_MEDIA_ROOT", "STUDIO_DATA_DIR",
                  "STUDIO_QUEUE_NAME", "STUDIO_DEBUG", "STUDIO_JOBS_SYNC", "STUDIO_ADDRPORT",
                  "STUDIO_SECRET_KEY", "STUDIO_ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE",
                  "DJANGO_ALLOW_ASYNC_UNSAFE")  # the browser tests set it for Playwright


class TopologyError(RuntimeError):
    """A host did not start; the message holds its log."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def services_available() -> str | None:
    """None when PostgreSQL and Redis answer on 127.0.0.1; else why not."""
    import psycopg
    import redis

    try:
        psycopg.connect(POSTGRES + "/postgres", connect_timeout=3).close()
    except Exception as problem:
        return f"PostgreSQL at {POSTGRES}: {problem}"
    try:
        redis.Redis.from_url(REDIS, socket_timeout=3).ping()
    except Exception as problem:
        return f"Redis at {REDIS}: {problem}"
    return None


@dataclass
class Host:
    name: str
    process: subprocess.Popen
    log: object
    data_dir: Path
    url: str = ""
    pids: list = field(default_factory=list)

    def output(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None


class Topology:
    """`with Topology(webs=2, clusters=2) as t:` … t.webs[0].url, t.kill_web(0), t.manage(…).

    `database_url`: an existing, migrated database to use (the browser tests' test database);
    else a fresh `studio_topo_<hex>` database is made, migrated, and dropped at the end.
    `redis_url`, `queue`: the broker and django-q2 queue name (default: 127.0.0.1:6379 and a
    name unique to the run, whose keys are removed at the end). `env`: more variables for
    every host; `storage_env`: media storage settings for every host (then no shared
    directory is given to them).
    """

    def __init__(self, *, webs: int = 2, clusters: int = 2, workers: int = 1,
                 web_workers: int = 1, web_threads: int = 8, database_url: str | None = None,
                 redis_url: str | None = None, queue: str | None = None, secret_key: str | None = None,
                 media_root: Path | None = None, env: dict | None = None,
                 storage_env: dict | None = None, base_dir: Path | None = None):
        self.web_count, self.cluster_count = webs, clusters
        self.base = Path(base_dir or tempfile.mkdtemp(prefix="studio-topology-"))
        self._own_base = base_dir is None
        self.token = uuid.uuid4().hex[:10]
        self.database_name = None if database_url else f"studio_topo_{self.token}"
        self.database_url = database_url or f"{POSTGRES}/{self.database_name}"
        self.redis_url = redis_url or REDIS
        self._own_queue = queue is None  # its keys are removed at the end
        self.queue = queue or f"studio-topo-{self.token}"
        self.health_token = secrets.token_urlsafe(16)
        self.storage_env = dict(storage_env or {})
        self.media_root = None if storage_env else Path(media_root or self.base / "media")
        self.env = {key: value for key, value in os.environ.items() if key not in _NOT_INHERITED}
        self.env.update({
            "STUDIO_NO_BOOTSTRAP": "1", "PYTHONUNBUFFERED": "1", "STUDIO_PRODUCTION": "1",
            "DJANGO_SETTINGS_MODULE": "studio.settings",
            "STUDIO_SECRET_KEY": secret_key or secrets.token_urlsafe(50),
            "STUDIO_ALLOWED_HOSTS": "127.0.0.1,localhost", "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url, "STUDIO_QUEUE_NAME": self.queue,
            "STUDIO_WORKERS": str(workers), "STUDIO_WEB_WORKERS": str(web_workers),
            "STUDIO_WEB_THREADS": str(web_threads), "STUDIO_ENGINE_PARALLEL": "0",
            "STUDIO_HEALTH_TOKEN": self.health_token, "STUDIO_HEALTH_MIN_FREE_MB": "50",
            **({"STUDIO_MEDIA_ROOT": str(self.media_root)} if self.media_root else {}),
            **self.storage_env, **(env or {})})
        self.webs: list[Host] = []
        self.clusters: list[Host] = []
        self._static: Path | None = None

    # -- start and stop ----------------------------------------------------------------------

    def __enter__(self) -> Topology:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        if self.database_name:
            self._create_database()
        if self.web_count:
            # What `up --production` does before it serves, in one process (each start of
            # Django costs seconds on a busy machine): Django's deployment checks with
            # Studio's own (an unsafe setting stops it here), migrate, collectstatic.
            migrate = "call_command('migrate', interactive=False, verbosity=0); " \
                if self.database_name else ""
            self.manage("shell", "-c", "from django.core.management import call_command; "
                        "call_command('check', deploy=True, fail_level='ERROR'); " + migrate +
                        "call_command('collectstatic', interactive=False, verbosity=0)",
                        host="web-0")
            self._static = self.base / "web-0" / "static"
        for i in range(self.cluster_count):
            self.clusters.append(self._start_cluster(f"cluster-{i}"))
        for i in range(self.web_count):
            self.webs.append(self._start_web(f"web-{i}"))
        for web in self.webs:
            self._wait_for_web(web)
        if self.cluster_count:
            self.wait_for_clusters(self.cluster_count)

    def stop(self) -> None:
        hosts = [*self.webs, *self.clusters]
        for host in hosts:  # all asked at once, then waited for together
            if host.alive:
                host.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 10
        for host in hosts:
            try:
                host.process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            _kill_group(host.process)
            host.log.close()
        self.webs, self.clusters = [], []
        if self.database_name:
            self._drop_database()
        if self._own_queue:
            self._forget_queue()
        if self._own_base:
            shutil.rmtree(self.base, ignore_errors=True)

    def _host_env(self, name: str, **extra) -> tuple[dict, Path]:
        data_dir = self.base / name
        data_dir.mkdir(parents=True, exist_ok=True)
        return {**self.env, "STUDIO_DATA_DIR": str(data_dir), **extra}, data_dir

    def _spawn(self, name: str, command: list[str], **extra) -> Host:
        env, data_dir = self._host_env(name, **extra)
        log = tempfile.TemporaryFile(mode="w+")  # a file: a pipe nobody reads would fill up
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, text=True, start_new_session=True)
        return Host(name, process, log, data_dir)

    def _start_cluster(self, name: str) -> Host:
        return self._spawn(name, [sys.executable, str(ROOT / "manage.py"), "qcluster"])

    def _start_web(self, name: str, port: int | None = None) -> Host:
        _, data_dir = self._host_env(name)
        static = data_dir / "static"
        if not (static / "staticfiles.json").exists():
            shutil.rmtree(static, ignore_errors=True)
            shutil.copytree(self._static, static)  # the same build, deployed to another host
        port = port or free_port()
        host = self._spawn(name, [sys.executable, "-m", "gunicorn", "studio.wsgi:application",
                                  "-c", "python:studio.web.server", "--bind", f"127.0.0.1:{port}"])
        host.url = f"http://127.0.0.1:{port}"
        return host

    def _wait_for_web(self, web: Host, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while True:
            if not web.alive:
                raise TopologyError(f"{web.name} exited:\n{web.output()}")
            try:
                if httpx.get(web.url + "/accounts/login/", timeout=5).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TopologyError(f"{web.name} did not answer in {seconds} s:\n{web.output()}")
            time.sleep(0.2)

    def health(self, web: Host | None = None) -> dict:
        web = web or next(w for w in self.webs if w.alive)
        answer = httpx.get(web.url + "/healthz", timeout=10,
                           headers={"Authorization": f"Bearer {self.health_token}"})
        return answer.json()

    def wait_for_clusters(self, count: int, seconds: float = 120) -> None:
        """Until /healthz sees `count` live clusters (their heartbeats in Redis)."""
        deadline = time.monotonic() + seconds
        while True:
            for cluster in self.clusters:
                if not cluster.alive:
                    raise TopologyError(f"{cluster.name} exited:\n{cluster.output()}")
            seen = self.health()["details"]["worker"].get("clusters", 0) if self.webs else count
            if seen >= count:
                return
            if time.monotonic() > deadline:
                logs = "\n".join(c.output()[-3000:] for c in self.clusters)
                raise TopologyError(f"{seen} of {count} clusters reported in {seconds} s:\n{logs}")
            time.sleep(0.3)

    # -- what a test does to it ------------------------------------------------------------

    def manage(self, *args: str, host: str = "admin") -> str:
        """`manage.py <args>` as one more process of this deployment; its stdout."""
        env, _ = self._host_env(host)
        done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise TopologyError(f"manage.py {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        return done.stdout

    def make_users(self, usernames: list[str], password: str) -> dict[str, str]:
        """Users and an API key each ({name: key}), made as an operator would, in one
        `manage.py shell` (the password is hashed once and shared: making 50 stays quick)."""
        out = self.manage("shell", "-c", (
            "from django.contrib.auth import get_user_model; "
            "from django.contrib.auth.hashers import make_password; "
            "from studio.api.models import ApiKey; "
            f"hashed = make_password({password!r}); User = get_user_model()\n"
            f"for name in {list(usernames)!r}:\n"
            "    user = User.objects.create(username=name, password=hashed)\n"
            "    print('KEY', name, ApiKey.issue(user, 'topology')[1])"))
        return dict(line.split()[1:3] for line in out.splitlines() if line.startswith("KEY "))

    def make_user(self, username: str, password: str) -> str:
        return self.make_users([username], password)[username]

    def kill_web(self, index: int) -> None:
        """SIGKILL a web host: gunicorn's arbiter and its workers, nothing gets to clean up."""
        _kill_group(self.webs[index].process)

    def restart_web(self, index: int) -> Host:
        old = self.webs[index]
        _end(old.process)
        port = int(old.url.rsplit(":", 1)[1])
        old.log.close()
        self.webs[index] = self._start_web(old.name, port)
        self._wait_for_web(self.webs[index])
        return self.webs[index]

    def kill_cluster(self, index: int) -> None:
        """SIGKILL a whole cluster (sentinel, pusher, workers, monitor), as a host dying."""
        _kill_group(self.clusters[index].process)

    def cluster_pids(self, index: int) -> set[int]:
        """Every process of a cluster (it runs in a session of its own)."""
        sid = self.clusters[index].process.pid
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if os.getsid(int(entry.name)) == sid:
                        found.add(int(entry.name))
                except (ProcessLookupError, PermissionError):
                    continue
        return found

    def sql(self, query: str, *params) -> list[tuple]:
        """Rows of the deployment's database, read (or changed: no rows) as an operator's
        psql would."""
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as db:
            cursor = db.execute(query, params)
            return cursor.fetchall() if cursor.description else []

    # -- the shared services ---------------------------------------------------------------

    def _create_database(self) -> None:
        import psycopg

        with psycopg.connect(POSTGRES + "/postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{self.database_name}"')

    def _drop_database(self) -> None:
        import psycopg

        try:
            with psycopg.connect(POSTGRES + "/postgres", autocommit=True) as db:
                db.execute(f'DROP DATABASE IF EXISTS "{self.database_name}" WITH (FORCE)')
        except psycopg.Error:
            pass

    def _forget_queue(self) -> None:
        """Every Redis key of this run's queue (its tasks, heartbeats, cache)."""
        import redis

        try:
            client = redis.Redis.from_url(self.redis_url)
            keys = list(client.scan_iter(match=f"*{self.queue}*", count=1000))
            if keys:
                client.delete(*keys)
        except redis.RedisError:
            pass


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def _end(process: subprocess.Popen) -> None:
    """SIGTERM, a few seconds, then SIGKILL to whatever is left of the process's group."""
    if process.poll() is None:
        try:
            process.send_signal(signal.SIGTERM)
            process.wait(15)
        except subprocess.TimeoutExpired:
            pass
    _kill_group(process)
