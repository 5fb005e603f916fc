"""Queuing jobs: at once (`run`) or at a given time (`run_at`), with no worker waiting for it,
through one broker per process (django-q2's `async_task` makes a broker, and for Redis a
connection, per job).

django-q2 has no delayed task: its schedules have a one-minute floor and its cluster looks at
them every 30 s. So Studio's broker classes (Q_CLUSTER["broker_class"]) learn `enqueue_at`:

- the ORM broker hands out a row only once its `lock` has passed, so a row locked until T is
  a task for T;
- Redis keeps such tasks in a sorted set by time, and the cluster's pusher moves the due ones
  onto the queue before each blocking read, which waits no longer than until the next is due.

Either way the waiting is done by the broker, never by a worker process. A delayed task that
is lost (a broker flushed) is a missed tick: whoever uses this keeps a slower schedule as the
safety net.
"""
from __future__ import annotations

import functools
import os
import time
import uuid
from datetime import UTC, datetime

from django.db import close_old_connections, transaction
from django.utils import timezone
from django_q.brokers import get_broker
from django_q.brokers.orm import ORM as _ORM
from django_q.brokers.redis_broker import Redis as _Redis
from django_q.conf import Conf
from django_q.signing import SignedPackage

from studio import rows


class ORM(_ORM):
    """django-q2's, its row written by an INSERT written once (studio.rows): a job is queued
    with every create, and compiling the ORM's insert cost more than the rest of queuing it.
    Its rows are the default database's (Q_CLUSTER["orm"] is "default")."""

    def enqueue(self, task):
        return self._insert(task, timezone.now())

    def enqueue_at(self, task, at: float):
        return self._insert(task, datetime.fromtimestamp(at, UTC))

    def _insert(self, task, lock: datetime):
        # What django-q2's get_connection() does before a write, without the queryset it
        # builds for its caller (cloning one cost a tenth of an API create).
        if transaction.get_autocommit():  # outside a transaction: drop a stale connection
            close_old_connections()
        insert = _job_row()
        return insert.save(insert.model(key=self.list_key or Conf.CLUSTER_NAME, payload=task,
                                        lock=lock)).pk


@functools.cache
def _job_row():
    from django_q.models import OrmQ

    return rows.Insert(OrmQ)


class Redis(_Redis):
    PROMOTE = 100  # due tasks moved per look

    @property
    def later_key(self) -> str:
        return f"{self.list_key}:later"

    def enqueue_at(self, task, at: float):
        self.connection.zadd(self.later_key, {task: at})

    def dequeue(self):
        self.promote()
        # Block no longer than until the next delayed task is due (django-q2 waits 1 s).
        task = self.connection.blpop(self.list_key, self.until_next(longest=1.0))
        if task:
            return [(None, task[1])]

    def until_next(self, *, longest: float) -> float:
        soonest = self.connection.zrange(self.later_key, 0, 0, withscores=True)
        if not soonest:
            return longest
        return min(longest, max(0.01, soonest[0][1] - time.time()))

    def promote(self) -> int:
        moved = 0
        for task in self.connection.zrangebyscore(self.later_key, "-inf", time.time(), start=0,
                                                  num=self.PROMOTE):
            if self.connection.zrem(self.later_key, task):  # one pusher wins each task
                self.connection.rpush(self.list_key, task)
                moved += 1
        return moved

    def queue_size(self):
        return super().queue_size() + self.connection.zcard(self.later_key)

    def purge_queue(self):
        self.connection.delete(self.later_key)
        return super().purge_queue()


class _At:
    """What async_task pushes into: the real broker, at a time."""

    def __init__(self, broker, at: float):
        self.broker, self.at, self.list_key = broker, at, broker.list_key

    def enqueue(self, task):
        return self.broker.enqueue_at(task, self.at)


_made = (0, None)  # (the process that made it, this process's broker)


def broker():
    """This process's broker, made once: django-q2's `async_task` makes one per call, which
    for Redis is a new connection pool, so a new connection, for every job queued."""
    global _made
    if _made[0] != os.getpid():  # a forked child makes its own (redis-py pools are per process)
        _made = (os.getpid(), get_broker())
    return _made[1]


def run(func: str, *args, task_name: str = "", sync: bool | None = None) -> None:
    """Queue `func(*args)` to run as soon as a worker is free (`sync`: run it here, now;
    not given: as Q_CLUSTER["sync"], STUDIO_JOBS_SYNC, says)."""
    run_at(0.0, func, *args, task_name=task_name, sync=sync)


def run_at(at: float, func: str, *args, task_name: str = "",
           sync: bool | None = None) -> None:
    """Queue `func(*args)` to run at unix time `at` (at once if the broker cannot wait).

    The job is the package django-q2's async_task would push, made here without what it
    adds that a queued job never uses: a human-readable name hashed for every job, a signal
    and two log lines formatted whether logged or not (a fifth of queuing a create's job).
    """
    if sync or (sync is None and Conf.SYNC):  # django-q2 runs it in this process
        from django_q.tasks import async_task

        async_task(func, *args, task_name=task_name or None, sync=True)
        return
    to = broker()
    if hasattr(to, "enqueue_at") and at > time.time():
        to = _At(to, at)
    to.enqueue(package(func, args, task_name))


def package(func: str, args: tuple, name: str = "") -> str:
    """`func(*args)` as the signed package a django-q2 worker takes from its broker."""
    task_id = uuid.uuid4().hex
    task = {"id": task_id, "name": name or task_id, "func": func, "args": args,
            "kwargs": {}, "started": timezone.now()}
    if Conf.CACHED:
        task["cached"] = Conf.CACHED
    if Conf.ACK_FAILURES:
        task["ack_failure"] = Conf.ACK_FAILURES
    return SignedPackage.dumps(task)


def every(name: str, func: str, *, minutes: int = 0, daily: bool = False,
          using: str = "default") -> None:
    """Keep `func` on django-q2's scheduler, every `minutes` or `daily`, under `name` (one row,
    made or brought up to date). Called from post_migrate, so a fresh database (or one a test
    flushed) has it too."""
    from django_q.models import Schedule

    timing = ({"schedule_type": Schedule.DAILY} if daily
              else {"schedule_type": Schedule.MINUTES, "minutes": minutes})
    Schedule.objects.using(using).update_or_create(
        name=name, defaults={"func": func, "repeats": -1, **timing})
