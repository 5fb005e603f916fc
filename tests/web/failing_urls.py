"""Studio's URLs plus views that fail the ways a server can, for tests of how failures are
told and logged."""
import errno

from django.db import OperationalError
from django.urls import path

from studio.api.envelope import endpoint
from studio.urls import handler500  # noqa: F401
from studio.urls import urlpatterns as studio_urls


def broken(request):
    raise RuntimeError("secret internals: the flux capacitor is at 1.21 GW")


def disk_full(request):
    raise OSError(errno.ENOSPC, "No space left on device")


def locked(request):
    raise OperationalError("database is locked")


@endpoint("GET")
def api_disk_full(request):
    raise OSError(errno.ENOSPC, "No space left on device")


@endpoint("GET")
def api_locked(request):
    raise OperationalError("database is locked")


urlpatterns = [path("broken/", broken), path("disk-full/", disk_full), path("locked/", locked),
               path("api/disk-full", api_disk_full), path("api/locked", api_locked),
               *studio_urls]
