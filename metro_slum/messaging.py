"""Gateways for SMS or WhatsApp messages to participants, chosen like Django's e-mail backends
(settings.MESSAGE_BACKEND). A backend sends one message and returns the gateway's id for it, or
raises GatewayError; the caller keeps the log, the retries and the never-twice rule."""

import json
import uuid
from urllib import error, request

from django.conf import settings
from django.utils.module_loading import import_string


class GatewayError(Exception):
    """The gateway did not take the message (timeout, refusal, an answer that is not one)."""


class BaseBackend:
    def send(self, phone: str, text: str) -> str:
        raise NotImplementedError


class DatabaseBackend(BaseBackend):
    """Sends nothing: the message stays in the office's log as sent (the demo, the tests)."""

    def send(self, phone: str, text: str) -> str:
        return f"db-{uuid.uuid4().hex[:12]}"


class HttpBackend(BaseBackend):
    """POST {"to", "text", "sender"} as JSON to the gateway's URL with a bearer token; a 2xx
    answer with JSON carrying "id" is a message taken."""

    def send(self, phone: str, text: str) -> str:
        if not settings.MESSAGE_GATEWAY_URL:
            raise GatewayError("DJANGO_MESSAGE_GATEWAY_URL is not set")
        body = json.dumps(
            {"to": phone, "text": text, "sender": settings.MESSAGE_GATEWAY_SENDER}
        ).encode()
        outgoing = request.Request(
            settings.MESSAGE_GATEWAY_URL,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Authorization": f"Bearer {settings.MESSAGE_GATEWAY_TOKEN}",
            },
        )
        try:
            with request.urlopen(outgoing, timeout=settings.MESSAGE_GATEWAY_TIMEOUT) as answer:
                payload = answer.read(10_000)
        except error.HTTPError as refused:
            raise GatewayError(f"HTTP {refused.code}") from refused
        except (error.URLError, TimeoutError, OSError) as failed:
            raise GatewayError(f"no answer: {failed}") from failed
        try:
            gateway_id = json.loads(payload)["id"]
        except (ValueError, KeyError, TypeError) as garbage:
            raise GatewayError("the gateway's answer is not JSON with an id") from garbage
        return str(gateway_id)[:100]


def backend() -> BaseBackend:
    return import_string(settings.MESSAGE_BACKEND)()
