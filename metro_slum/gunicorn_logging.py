"""Gunicorn's access and error logs, with identity numbers masked like Django's."""

from gunicorn.glogging import Logger

from metro_slum.logging import RedactIdentityNumbers


class RedactingLogger(Logger):
    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            log.addFilter(RedactIdentityNumbers())
