"""What waits in this run's django-q2 broker, and losing it as a flushed broker would: the
ORM's rows, or Redis's queue and its delayed set (studio.delayed)."""
from django.utils.module_loading import import_string
from django_q.models import OrmQ
from django_q.signing import SignedPackage

from studio import delayed


def _queued() -> list[tuple[dict, object]]:
    """(task, how to drop it) of every task waiting in the broker."""
    broker = delayed.broker()
    if isinstance(broker, delayed.ORM):
        return [(job.task, job.delete) for job in OrmQ.objects.all()]
    redis = broker.connection
    found = []
    for raw in redis.lrange(broker.list_key, 0, -1):
        found.append((SignedPackage.loads(raw), lambda raw=raw: redis.lrem(broker.list_key, 1, raw)))
    for raw in redis.zrange(broker.later_key, 0, -1):
        found.append((SignedPackage.loads(raw), lambda raw=raw: redis.zrem(broker.later_key, raw)))
    return found


def queued() -> list[str]:
    return [task["func"] for task, _drop in _queued()]


def queued_calls() -> list[tuple[str, tuple]]:
    """(func, args) of every task waiting in the broker. With the ORM broker that includes a
    task a worker has taken and not yet acknowledged: its row goes once the cluster's
    monitor has saved its result, a moment after the task's own writes."""
    return [(task["func"], tuple(task["args"])) for task, _drop in _queued()]


def lose(func: str | None = None) -> int:
    """Delete the queued tasks of `func` (of every func: None) from the broker, as a flushed
    one would; how many."""
    lost = [drop for task, drop in _queued() if func is None or task["func"] == func]
    for drop in lost:
        drop()
    return len(lost)


def run() -> int:
    """Take every task waiting in the broker and run it here, as a worker would; how many."""
    tasks = _queued()
    for task, drop in tasks:
        drop()
        import_string(task["func"])(*task["args"], **task["kwargs"])
    return len(tasks)
