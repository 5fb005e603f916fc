"""Django's PostgreSQL backend, its connection health check made free while the server is
quiet.

CONN_HEALTH_CHECKS makes Django ping a kept connection (SELECT 1) the first time each
request uses it, so that a connection the server dropped (a restart, an idle timeout, an
administrator's pg_terminate_backend) is replaced instead of failing the request. That ping
is a round trip on every request: on this machine 0.3-0.5 ms inside a request, about a
quarter of an authenticated Range request's cost on PostgreSQL.

A server that drops a connection says so on its socket: it sends its FATAL message and
closes, so the socket of a connection at rest becomes readable. Nothing else arrives
unasked on a connection between statements (Studio's LISTEN has a connection of its own).
So the check first asks the socket, without waiting: nothing to read means the server has
said nothing since the last answer, and the connection stands as the ping would have found
it; anything to read (or any doubt) means the usual ping. A connection whose network path
died without a word is not caught here, as it would not be between a ping and the query
after it either; TCP keepalives are for that.
"""
from __future__ import annotations

import select

from django.db.backends.postgresql.base import DatabaseWrapper as _DatabaseWrapper
from psycopg import pq


class DatabaseWrapper(_DatabaseWrapper):
    def close_if_health_check_failed(self):
        if (self.connection is not None and self.health_check_enabled
                and not self.health_check_done and not self.pool and self._quiet()):
            self.health_check_done = True
            return
        super().close_if_health_check_failed()

    def _quiet(self) -> bool:
        """True when the server has sent nothing since its last answer: no goodbye waits to
        be read and the connection is at rest (idle, not in a transaction or a failure)."""
        try:
            if self.connection.closed or \
                    self.connection.info.transaction_status != pq.TransactionStatus.IDLE:
                return False
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable
