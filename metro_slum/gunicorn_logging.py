"""Gunicorn's access and error logs, with identity numbers masked like Django's and the visitor's
address read by the application's one rule (metro_slum/client.py), not the proxy's."""

from gunicorn.glogging import Logger

from metro_slum.client import address_from
from metro_slum.logging import RedactIdentityNumbers


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactIdentityNumbers())

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["h"] = address_from(environ) or atoms["h"]
        return atoms
