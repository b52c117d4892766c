"""`make demo`'s server: Django's development server (static files included, reloaded on every
change) with room for many connections at once. Django's own queues ten connections while its
threads start; the eleventh of thirty phones sending at the same moment was reset."""

from django.contrib.staticfiles.management.commands.runserver import Command as RunServer
from django.core.servers.basehttp import WSGIServer


class RoomyWSGIServer(WSGIServer):
    request_queue_size = 128


class Command(RunServer):
    help = "Serve the demo: Django's development server with a longer queue of connections."
    server_cls = RoomyWSGIServer
